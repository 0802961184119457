import OutreachCore

/// The payload of a one-off `send` job (`outreach send`): what to send to whom, and the
/// idempotency key its execution is recorded under (also Resend's `Idempotency-Key`).
public struct SendJobPayload: Sendable, Equatable, Codable {
    public var entityType: EntityRef.Kind
    public var entityID: String
    public var channel: Channel
    public var template: String
    /// `send:<uuid>`: unique per request, so retrying the job never sends twice.
    public var key: String

    enum CodingKeys: String, CodingKey {
        case channel, template, key
        case entityType = "entity_type"
        case entityID = "entity_id"
    }

    public init(entity: EntityRef, channel: Channel, template: String, key: String) {
        self.entityType = entity.type
        self.entityID = entity.id
        self.channel = channel
        self.template = template
        self.key = key
    }

    public var entity: EntityRef { EntityRef(type: entityType, id: entityID) }
}
