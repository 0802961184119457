import Foundation
import OutreachCore

/// A row of `outreach_contacts`.
public struct StoredContact: Sendable, Equatable, Codable {
    public var id: Int64
    public var entity: EntityRef
    public var name: String
    public var company: String?
    public var email: String?
    public var phone: String?
    public var telegramChatID: String?
    public var status: String
    public var timezone: String?
    public var attributes: [String: String]
    public var createdAt: Date
    public var updatedAt: Date
}
