/// Which contacts a command acts on: named entities (`--entity lead:42 …`) or a filter
/// (`--where status=new`).
public enum ContactSelector: Sendable, Equatable {
    case entities([EntityRef])
    case filter(ContactFilter)

    /// Builds the selector from command-line values: exactly one of the two forms.
    public init(entities: [String], filters: [String]) throws(OutreachError) {
        switch (entities.isEmpty, filters.isEmpty) {
        case (false, true):
            var refs: [EntityRef] = []
            for text in entities {
                let ref = try EntityRef(parsing: text)
                if !refs.contains(ref) { refs.append(ref) }
            }
            self = .entities(refs)
        case (true, false):
            self = .filter(try ContactFilter(parsing: filters))
        case (false, false):
            throw .badInput("use either --entity or --where, not both")
        case (true, true):
            throw .badInput("name the contacts with --entity TYPE:ID (repeatable) or --where FIELD=VALUE")
        }
    }
}

/// A conjunction of `FIELD=VALUE` conditions on contacts. Only a few fields are allowed, the
/// syntax is strict, and values are always bound as parameters, never spliced into SQL.
public struct ContactFilter: Sendable, Equatable, CustomStringConvertible {
    /// The fields `--where` accepts.
    public static let fields = ["status", "company", "entity_type"]

    public var status: String?
    public var company: String?
    public var entityType: EntityRef.Kind?

    public init(status: String? = nil, company: String? = nil, entityType: EntityRef.Kind? = nil) {
        self.status = status
        self.company = company
        self.entityType = entityType
    }

    /// Parses conditions such as `status=new`, `company=Acme, Inc.`, `entity_type=lead`; several
    /// conditions must all hold. The value is everything after the first `=`, taken literally.
    public init(parsing conditions: [String]) throws(OutreachError) {
        self.init()
        guard !conditions.isEmpty else { throw .badInput("--where needs FIELD=VALUE") }
        for condition in conditions {
            guard let equals = condition.firstIndex(of: "=") else {
                throw .badInput("--where '\(condition)' is not FIELD=VALUE (fields: \(Self.fields.joined(separator: ", ")))")
            }
            let field = String(condition[..<equals])
            let value = String(condition[condition.index(after: equals)...])
            guard !value.isEmpty else { throw .badInput("--where '\(condition)' has an empty value") }
            switch field {
            case "status":
                guard status == nil else { throw .badInput("--where names status twice") }
                status = value
            case "company":
                guard company == nil else { throw .badInput("--where names company twice") }
                company = value
            case "entity_type":
                guard entityType == nil else { throw .badInput("--where names entity_type twice") }
                guard let kind = EntityRef.Kind(rawValue: value) else {
                    throw .badInput("--where entity_type '\(value)' is not lead or prospect")
                }
                entityType = kind
            default:
                throw .badInput("--where field '\(field)' is not one of \(Self.fields.joined(separator: ", "))")
            }
        }
    }

    public var description: String {
        [status.map { "status=\($0)" }, company.map { "company=\($0)" }, entityType.map { "entity_type=\($0.rawValue)" }]
            .compactMap { $0 }.joined(separator: " and ")
    }
}
