/// A value a template can interpolate or test: the JSON-like data model of contact fields and
/// attributes.
///
/// Literal conformances make contexts easy to write: `["name": "Ana", "orders": [1, 2]]`.
public enum TemplateValue: Sendable, Hashable {
    /// Text.
    case string(String)
    /// A number; integral values render without a fractional part (`3`, not `3.0`).
    case number(Double)
    /// A boolean; renders as `true` / `false`.
    case bool(Bool)
    /// An ordered list; `{{#each}}` and Mustache sections iterate it.
    case list([TemplateValue])
    /// A nested object; reach into it with dotted names (`{{address.city}}`).
    case dictionary([String: TemplateValue])
    /// An explicit null (e.g. a JSON `null` attribute); renders as the empty string.
    case null

    /// Handlebars truthiness, used by `{{#if}}` and `{{#unless}}`.
    ///
    /// Falsy: `false`, `null`, `""`, `0` (and NaN), the empty list. Everything else — including
    /// an empty dictionary, as in Handlebars — is truthy. A missing variable is falsy too, but
    /// that is decided before a value exists.
    public var isTruthy: Bool {
        switch self {
        case .string(let string): !string.isEmpty
        case .number(let number): number != 0 && !number.isNaN
        case .bool(let bool): bool
        case .list(let list): !list.isEmpty
        case .dictionary: true
        case .null: false
        }
    }

    /// The value as plain, unescaped text — what an interpolation shows before channel escaping.
    ///
    /// Lists join their items with `,` (as Handlebars does); dictionaries render as nothing,
    /// because there is no meaningful text for them and `[object Object]` is never wanted.
    public var plainText: String {
        switch self {
        case .string(let string): string
        case .number(let number): Self.format(number)
        case .bool(let bool): bool ? "true" : "false"
        case .list(let list): list.map(\.plainText).joined(separator: ",")
        case .dictionary, .null: ""
        }
    }

    private static func format(_ number: Double) -> String {
        // 2^53: beyond it a Double no longer holds every integer, so Int conversion would lie.
        if number.rounded() == number, abs(number) < 9_007_199_254_740_992 {
            return String(Int64(number))
        }
        return String(number)
    }
}

extension TemplateValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension TemplateValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .dictionary(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension TemplateValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

/// Coded as plain JSON (`"a"`, `1`, `true`, `[…]`, `{…}`, `null`), so a contact's `attributes`
/// column decodes straight into template values.
extension TemplateValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let list = try? container.decode([TemplateValue].self) {
            self = .list(list)
        } else {
            self = .dictionary(try container.decode([String: TemplateValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let string): try container.encode(string)
        case .number(let number): try container.encode(number)
        case .bool(let bool): try container.encode(bool)
        case .list(let list): try container.encode(list)
        case .dictionary(let dictionary): try container.encode(dictionary)
        case .null: try container.encodeNil()
        }
    }
}
