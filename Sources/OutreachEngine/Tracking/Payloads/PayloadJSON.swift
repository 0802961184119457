import JSON
import OutreachCore

/// A parsed webhook body, read leniently: provider payloads vary between API versions (a field
/// that is a string in one and an array in another, numbers sent as strings, …), so paths chain
/// without failing (`json["data"]["email_id"].string`) and a missing member reads as null.
///
/// A view over `JSONValue` (the strict parser the channel clients and the sandbox share).
public struct PayloadJSON: Sendable, Equatable {
    /// The value at this path; nil where the path does not exist.
    public let value: JSONValue?

    public init(_ value: JSONValue?) {
        self.value = value
    }

    /// What a missing member or a non-container reads as.
    public static let null = PayloadJSON(nil)

    /// Parses a webhook body; anything but a JSON object is `.badInput`.
    public static func parseObject(_ body: some Collection<UInt8>) throws -> PayloadJSON {
        guard let value = JSONValue.parse(body) else { throw OutreachError.badInput("the body is not valid JSON") }
        guard value.objectValue != nil else { throw OutreachError.badInput("the body is not a JSON object") }
        return PayloadJSON(value)
    }

    /// Whether this is a JSON object.
    public var isObject: Bool { value?.objectValue != nil }

    /// The member `key` of an object (null otherwise), so paths chain: `json["data"]["email_id"]`.
    public subscript(key: String) -> PayloadJSON {
        PayloadJSON(value?[key])
    }

    /// The elements of an array (empty otherwise).
    public var array: [PayloadJSON] {
        (value?.arrayValue ?? []).map { PayloadJSON($0) }
    }

    /// A string, or a number written as its integer text (ids and timestamps come both ways).
    public var string: String? {
        switch value {
        case .string(let text)?: text
        case .int(let number)? where abs(number) < 1_000_000_000_000_000: String(number)
        case .double(let number)? where number == number.rounded() && abs(number) < 1e15: String(Int64(number))
        default: nil
        }
    }

    /// An integer given as a number or as decimal text.
    public var int64: Int64? {
        switch value {
        case .int(let number)?: Int64(number)
        case .double(let number)? where number == number.rounded() && abs(number) < 9e15: Int64(number)
        case .string(let text)?: Int64(text)
        default: nil
        }
    }

    /// A boolean value.
    public var bool: Bool? {
        value?.boolValue
    }

    /// Strings of an array, or a single string as a one-element list.
    public var strings: [String] {
        switch value {
        case .string(let text)?: [text]
        case .array?: array.compactMap(\.string)
        default: []
        }
    }
}
