import OutreachCore
import Testing

/// The workspace the assistant tests talk about.
enum AssistantFixture {
    static let giulia = AssistantContact(entity: EntityRef(type: .lead, id: "1"), name: "Giulia Rossi", company: "Farmacia Rossi")
    static let marco = AssistantContact(entity: EntityRef(type: .prospect, id: "2"), name: "Marco Neri", company: "TechShop")
    static let mario = AssistantContact(entity: EntityRef(type: .lead, id: "3"), name: "Mario Rossi", company: nil)
    static let luca = AssistantContact(entity: EntityRef(type: .lead, id: "4"), name: "Luca Bianchi", company: "Caffè Città")

    static let context = AssistantContext(
        contacts: [giulia, marco, mario, luca],
        sequences: ["intro", "riattivazione"],
        templates: [
            AssistantTemplate(name: "followup", channel: .email),
            AssistantTemplate(name: "intro-email", channel: .email),
            AssistantTemplate(name: "followup-wa", channel: .whatsapp),
        ],
        enabledChannels: [.email])

    static func parse(_ message: String) -> ParsedIntent { IntentParser.parse(message, context: context) }
}

/// One phrasing and everything the parser must extract from it.
struct Phrase: Sendable, CustomTestStringConvertible {
    var message: String
    var intent: Intent
    var entities: [String] = []
    var sequence: String? = nil
    var template: String? = nil
    var channels: [Channel] = []
    var changes: [ChannelChange] = []
    var filter: ContactFilter? = nil
    var period: AssistantPeriod? = nil

    var testDescription: String { message }

    init(_ message: String, _ intent: Intent, entities: [String] = [], sequence: String? = nil, template: String? = nil,
         channels: [Channel] = [], changes: [ChannelChange] = [], filter: ContactFilter? = nil, period: AssistantPeriod? = nil) {
        self.message = message
        self.intent = intent
        self.entities = entities
        self.sequence = sequence
        self.template = template
        self.channels = channels
        self.changes = changes
        self.filter = filter
        self.period = period
    }
}

extension ContactFilter {
    static let newLeads = ContactFilter(status: "new", entityType: .lead)
}
