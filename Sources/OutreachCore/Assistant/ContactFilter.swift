/// A set of contacts named by a description rather than by name ("lead nuovi", "new leads", "prospect").
public struct ContactFilter: Sendable, Hashable, Codable {
    /// `outreach_contacts.status`, e.g. "new".
    public var status: String?
    public var entityType: EntityRef.Kind?

    public init(status: String? = nil, entityType: EntityRef.Kind? = nil) {
        self.status = status
        self.entityType = entityType
    }

    /// The filter as the CLI's `--where` terms, e.g. `["status=new", "entity_type=lead"]`.
    public var whereTerms: [String] {
        var terms: [String] = []
        if let status { terms.append("status=\(status)") }
        if let entityType { terms.append("entity_type=\(entityType.rawValue)") }
        return terms
    }
}
