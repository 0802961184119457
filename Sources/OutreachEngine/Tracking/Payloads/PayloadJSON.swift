import Foundation
import OutreachCore

/// A parsed JSON document for reading provider payloads whose shapes vary between API versions
/// (a field that is a string in one and an array in another, numbers sent as strings, …):
/// lenient accessors instead of one rigid `Decodable` per version.
public enum PayloadJSON: Sendable, Equatable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PayloadJSON])
    case object([String: PayloadJSON])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([PayloadJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: PayloadJSON].self))
        }
    }

    /// Parses a webhook body; anything but a JSON object is `.badInput`.
    public static func parseObject(_ body: some Collection<UInt8>) throws -> PayloadJSON {
        let value: PayloadJSON
        do {
            value = try JSONDecoder().decode(PayloadJSON.self, from: Data(body))
        } catch {
            throw OutreachError.badInput("the body is not valid JSON")
        }
        guard case .object = value else { throw OutreachError.badInput("the body is not a JSON object") }
        return value
    }

    /// The member `key` of an object (`.null` otherwise), so paths chain: `json["data"]["email_id"]`.
    public subscript(key: String) -> PayloadJSON {
        if case .object(let members) = self { return members[key] ?? .null }
        return .null
    }

    /// The elements of an array (empty otherwise).
    public var array: [PayloadJSON] {
        if case .array(let elements) = self { return elements }
        return []
    }

    /// A string, or a number written as its integer text (ids and timestamps come both ways).
    public var string: String? {
        switch self {
        case .string(let value): value
        case .number(let value) where value == value.rounded() && abs(value) < 1e15: String(Int64(value))
        default: nil
        }
    }

    /// An integer given as a number or as decimal text.
    public var int64: Int64? {
        switch self {
        case .number(let value) where value == value.rounded() && abs(value) < 9e15: Int64(value)
        case .string(let value): Int64(value)
        default: nil
        }
    }

    /// A boolean value.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Strings of an array, or a single string as a one-element list.
    public var strings: [String] {
        switch self {
        case .string(let value): [value]
        case .array(let elements): elements.compactMap(\.string)
        default: []
        }
    }
}
