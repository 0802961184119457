/// A sequence file (JSON or YAML), as in SPEC §11.
public struct SequenceDefinition: Sendable, Equatable, Codable {
    public struct Window: Sendable, Equatable, Codable {
        public var days: String?
        public var hours: String?
    }

    public struct WhatsAppTemplate: Sendable, Equatable, Codable {
        public var name: String
        public var language: String
        /// Variables whose values fill the template's body parameters, in order.
        public var parameters: [String]?
    }

    public struct Step: Sendable, Equatable, Codable {
        public var channel: Channel
        public var template: String
        public var delay: String?
        public var condition: StepCondition?
        public var whatsappTemplate: WhatsAppTemplate?

        enum CodingKeys: String, CodingKey {
            case channel, template, delay, condition
            case whatsappTemplate = "whatsapp_template"
        }

        public init(channel: Channel, template: String, delay: String? = nil, condition: StepCondition? = nil,
                    whatsappTemplate: WhatsAppTemplate? = nil) {
            self.channel = channel
            self.template = template
            self.delay = delay
            self.condition = condition
            self.whatsappTemplate = whatsappTemplate
        }
    }

    public var name: String
    public var sendWindow: Window?
    public var steps: [Step]

    enum CodingKeys: String, CodingKey {
        case name, steps
        case sendWindow = "send_window"
    }

    public init(name: String, sendWindow: Window? = nil, steps: [Step]) {
        self.name = name
        self.sendWindow = sendWindow
        self.steps = steps
    }

    /// Checks names, delays, the window, and that every step's template exists for its channel.
    public func validate(templateExists: (String, Channel) -> Bool) throws(OutreachError) {
        guard !name.isEmpty, name.count <= 200 else { throw .badInput("sequence name must be 1 to 200 characters") }
        guard !steps.isEmpty else { throw .badInput("sequence '\(name)' has no steps") }
        guard steps.count <= 100 else { throw .badInput("sequence '\(name)' has more than 100 steps") }
        if let w = sendWindow { _ = try SendWindow(days: w.days, hours: w.hours) }
        for (i, step) in steps.enumerated() {
            _ = try DelaySpec.seconds(step.delay ?? "0h")
            guard templateExists(step.template, step.channel) else {
                throw .badInput("step \(i + 1): no \(step.channel.rawValue) template named '\(step.template)'")
            }
            if step.whatsappTemplate != nil && step.channel != .whatsapp {
                throw .badInput("step \(i + 1): whatsapp_template applies to whatsapp steps only")
            }
        }
    }

    public var window: SendWindow? {
        guard let w = sendWindow else { return nil }
        return try? SendWindow(days: w.days, hours: w.hours)
    }
}
