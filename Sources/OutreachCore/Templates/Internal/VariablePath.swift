/// A variable reference as written in a tag: `name`, `address.city`, `this`, `this.title`, `.`.
struct VariablePath: Sendable, Hashable {
    /// Dotted segments after any `this` / `.` prefix.
    var segments: [String]
    /// True for `this`, `.` and `this.x`: the reference is to the current `each` item (or
    /// section context), not to a top-level variable, so it is neither extracted nor validated.
    var isContextRelative: Bool

    /// Names starting with this prefix are reserved for the translation's computed keys
    /// (`__truthy`, `__each`, `__raw`, `__attr`).
    static let reservedPrefix = "__"

    /// The top-level variable this path reads, or nil for context-relative paths.
    var rootName: String? { isContextRelative ? nil : segments.first }

    /// The path spelled as a Mustache name (swift-mustache syntax).
    var mustacheName: String {
        if isContextRelative {
            return segments.isEmpty ? "." : "." + segments.joined(separator: ".")
        }
        return segments.joined(separator: ".")
    }

    /// The Mustache name of one of the computed keys on this path's value.
    func mustacheName(computed key: String) -> String {
        let base = mustacheName
        return base == "." ? ".\(key)" : "\(base).\(key)"
    }

    /// Parses a tag's name, or returns a reason it is not acceptable.
    static func parse(_ text: String) -> Result<VariablePath, ParseFailure> {
        if text == "." || text == "this" {
            return .success(VariablePath(segments: [], isContextRelative: true))
        }
        if text.hasPrefix("../") || text.hasPrefix("./") {
            return .failure(ParseFailure(
                "path '\(text)' is not supported; inside {{#each}} use 'this.field', top-level names are visible as they are"))
        }
        if text.hasPrefix("@") {
            return .failure(ParseFailure("data variable '\(text)' is not supported"))
        }
        var relative = false
        var parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "this", parts.count > 1 {
            relative = true
            parts.removeFirst()
        }
        for part in parts {
            guard !part.isEmpty, part.allSatisfy(isNameCharacter) else {
                return .failure(ParseFailure("invalid variable name '\(text)'"))
            }
            guard !part.hasPrefix(reservedPrefix) else {
                return .failure(ParseFailure("variable names starting with '__' are reserved ('\(text)')"))
            }
        }
        return .success(VariablePath(segments: parts, isContextRelative: relative))
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        guard let byte = character.asciiValue else { return false }
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "_"), UInt8(ascii: "-"): return true
        default: return false
        }
    }
}

/// A reason text failed to parse, before a position is attached to it.
struct ParseFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}
