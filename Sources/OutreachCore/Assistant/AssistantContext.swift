/// A contact the assistant may name: what a message's names are resolved against.
public struct AssistantContact: Sendable, Hashable, Codable {
    public var entity: EntityRef
    public var name: String
    public var company: String?

    public init(entity: EntityRef, name: String, company: String? = nil) {
        self.entity = entity
        self.name = name
        self.company = company
    }

    /// "Name (Company)" or whichever of the two is present, else the entity reference.
    public var displayName: String {
        let company = company?.isEmpty == false ? company : nil
        switch (name.isEmpty ? nil : name, company) {
        case let (name?, company?) where NormalizedText.fold(name) != NormalizedText.fold(company): return "\(name) (\(company))"
        case let (name?, _): return name
        case let (nil, company?): return company
        case (nil, nil): return entity.description
        }
    }
}

/// A template the assistant may name: names are unique per channel, not across channels.
public struct AssistantTemplate: Sendable, Hashable, Codable {
    public var name: String
    public var channel: Channel

    public init(name: String, channel: Channel) {
        self.name = name
        self.channel = channel
    }
}

/// What a workspace holds that a message can refer to, loaded by the caller so the parser stays pure.
public struct AssistantContext: Sendable, Equatable {
    public var contacts: [AssistantContact]
    public var sequences: [String]
    public var templates: [AssistantTemplate]
    /// Channels whose provider credentials are present.
    public var configuredChannels: Set<Channel>
    /// Channels enabled for the workspace.
    public var enabledChannels: Set<Channel>
    /// The language of replies when a message gives no clue (e.g. a bare "WhatsApp").
    public var defaultLanguage: AssistantLanguage

    public init(contacts: [AssistantContact] = [], sequences: [String] = [], templates: [AssistantTemplate] = [],
                configuredChannels: Set<Channel> = Set(Channel.allCases), enabledChannels: Set<Channel> = [],
                defaultLanguage: AssistantLanguage = .it) {
        self.contacts = contacts
        self.sequences = sequences
        self.templates = templates
        self.configuredChannels = configuredChannels
        self.enabledChannels = enabledChannels
        self.defaultLanguage = defaultLanguage
    }

    /// Convenience for callers holding rows as tuples.
    public init(contacts: [(entity: EntityRef, name: String, company: String?)], sequences: [String] = [],
                templates: [AssistantTemplate] = [], configuredChannels: Set<Channel> = Set(Channel.allCases),
                enabledChannels: Set<Channel> = [], defaultLanguage: AssistantLanguage = .it) {
        self.init(contacts: contacts.map { AssistantContact(entity: $0.entity, name: $0.name, company: $0.company) },
                  sequences: sequences, templates: templates, configuredChannels: configuredChannels,
                  enabledChannels: enabledChannels, defaultLanguage: defaultLanguage)
    }
}
