/// A lead or prospect, written `TYPE:ID` on the command line (`lead:42`, `prospect:acme-7`).
public struct EntityRef: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable { case lead, prospect }

    public var type: Kind
    public var id: String

    public init(type: Kind, id: String) {
        self.type = type
        self.id = id
    }

    /// Parses `TYPE:ID`; the id may itself contain ':'.
    public init(parsing text: String) throws(OutreachError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw .badInput("entity '\(text)' is not TYPE:ID (e.g. lead:42)")
        }
        guard let type = Kind(rawValue: String(text[..<colon]).lowercased()) else {
            throw .badInput("entity type '\(text[..<colon])' is not lead or prospect")
        }
        let id = String(text[text.index(after: colon)...])
        guard !id.isEmpty, id.count <= 200 else { throw .badInput("entity '\(text)' has an empty or too long id") }
        self.init(type: type, id: id)
    }

    public var description: String { "\(type.rawValue):\(id)" }
}
