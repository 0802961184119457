import Foundation

/// A tenant: every contact, template, sequence and send belongs to exactly one workspace.
public struct Workspace: Sendable, Equatable, Codable {
    public var id: UUID
    public var name: String
    /// IANA time zone; daily limits count days in it, send windows default to it.
    public var timezone: String

    public init(id: UUID, name: String, timezone: String) {
        self.id = id
        self.name = name
        self.timezone = timezone
    }

    /// Checks a proposed name and time zone before anything is written.
    public static func validate(name: String, timezone: String) throws(OutreachError) {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed == name else {
            throw .badInput("workspace name must be non-empty without leading or trailing spaces")
        }
        guard name.count <= 200 else { throw .badInput("workspace name is longer than 200 characters") }
        guard UUID(uuidString: name) == nil else { throw .badInput("workspace name must not look like an id") }
        guard TimeZone(identifier: timezone) != nil else {
            throw .badInput("unknown time zone '\(timezone)' (use an IANA name such as Europe/Rome)")
        }
    }
}
