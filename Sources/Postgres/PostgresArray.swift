import Foundation

/// A type whose Swift arrays map to a Postgres value.
///
/// For most element types `[Element]` is a one-dimensional Postgres array (`text[]`, `int8[]`,
/// `uuid[]`, `boolean[]`…) written as an array literal with every element quoted and escaped.
/// `UInt8` is the exception: `[UInt8]` is `bytea`. That special case lives in this protocol's
/// requirements because Swift allows `Array` only one conformance to `PostgresEncodable`.
public protocol PostgresArrayElement: Sendable {
    /// The bind value for an array of this element type.
    static func postgresData(forArray elements: [Self]) -> PostgresData
    /// Decodes an array of this element type from a column's text output (`nil` is SQL `NULL`).
    static func decodeArray(postgresBytes: UnsafeRawBufferPointer?) throws -> [Self]
}

extension PostgresArrayElement where Self: PostgresEncodable & PostgresDecodable {
    public static func postgresData(forArray elements: [Self]) -> PostgresData {
        // Materialise the elements first: the literal is then built by non-generic code (this
        // default runs unspecialised for every batch bind of the worker). A closure rather than
        // a key path: applying `\.postgresData` generically went through the runtime's key-path
        // machinery for every element.
        .text(ArrayLiteral.encode(elements.map { $0.postgresData }))
    }

    public static func decodeArray(postgresBytes: UnsafeRawBufferPointer?) throws -> [Self] {
        guard let postgresBytes else { throw PostgresError.unexpectedNull([Self].self) }
        var result: [Self] = []
        try ArrayLiteral.parse(postgresBytes) { element in
            result.append(try Self.decode(postgresBytes: element))
        }
        return result
    }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public var postgresData: PostgresData { Element.postgresData(forArray: self) }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(postgresText: String?) throws -> [Element] {
        guard var postgresText else { return try Element.decodeArray(postgresBytes: nil) }
        return try postgresText.withUTF8 { try Element.decodeArray(postgresBytes: UnsafeRawBufferPointer($0)) }
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> [Element] {
        try Element.decodeArray(postgresBytes: postgresBytes)
    }
}

extension UInt8: PostgresArrayElement {
    /// `[UInt8]` is sent as binary `bytea`.
    public static func postgresData(forArray elements: [UInt8]) -> PostgresData { .bytea(elements) }

    /// `[UInt8]` is read from `bytea`'s hex output (`\x…`); the session sets `bytea_output=hex`.
    public static func decodeArray(postgresBytes: UnsafeRawBufferPointer?) throws -> [UInt8] {
        guard let postgresBytes else { throw PostgresError.unexpectedNull([UInt8].self) }
        guard let bytes = ByteParsing.byteaHex(postgresBytes) else {
            throw PostgresError.decoding("\(ByteParsing.excerpt(postgresBytes)) is not bytea hex output")
        }
        return bytes
    }
}

extension String: PostgresArrayElement {}
extension Int: PostgresArrayElement {}
extension Int64: PostgresArrayElement {}
extension Int32: PostgresArrayElement {}
extension Int16: PostgresArrayElement {}
extension Double: PostgresArrayElement {}
extension Bool: PostgresArrayElement {}
extension UUID: PostgresArrayElement {}
extension Date: PostgresArrayElement {}
/// `[String?]` and friends: `nil` elements are `NULL` (distinct from the string `"NULL"`).
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement & PostgresEncodable & PostgresDecodable {}

/// Postgres' array literal syntax (`{"a","b c",NULL}`) for one-dimensional arrays.
enum ArrayLiteral {
    /// Every non-NULL element is double-quoted with `"` and `\` escaped, so commas, braces,
    /// whitespace, empty strings and the word `NULL` all survive unchanged.
    static func encode(_ elements: [PostgresData]) -> String {
        var text = "{"
        var size = 2
        for element in elements {
            if case .text(let value) = element { size += value.utf8.count + 3 } else { size += 5 }
        }
        text.reserveCapacity(size)
        var first = true
        for element in elements {
            if !first { text.append(",") }
            first = false
            switch element {
            case .null:
                text.append("NULL")
            case .text(let value):
                appendQuoted(value, to: &text)
            case .bytea(let bytes):
                appendQuoted(ByteParsing.byteaHexString(bytes), to: &text)
            }
        }
        text.append("}")
        return text
    }

    private static func appendQuoted(_ value: String, to text: inout String) {
        text.append("\"")
        // Most values (ids, keys, addresses) need no escape: append them whole.
        if !value.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            text.append(value)
        } else {
            for scalar in value.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { text.unicodeScalars.append("\\") }
                text.unicodeScalars.append(scalar)
            }
        }
        text.append("\"")
    }

    /// Calls `element` with each element's unescaped bytes, or `nil` for an unquoted `NULL`.
    static func parse(
        _ bytes: UnsafeRawBufferPointer, _ element: (UnsafeRawBufferPointer?) throws -> Void
    ) throws {
        func malformed(_ reason: String) -> PostgresError {
            .decoding("malformed array literal \(ByteParsing.excerpt(bytes)): \(reason)")
        }
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), comma = UInt8(ascii: ",")
        func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }

        var index = 0
        // Arrays whose lower bound is not 1 carry a dimension prefix: `[0:2]={…}`.
        if bytes.first == UInt8(ascii: "[") {
            while index < bytes.count, bytes[index] != UInt8(ascii: "=") { index += 1 }
            index += 1
        }
        guard index < bytes.count, bytes[index] == open else { throw malformed("expected '{'") }
        index += 1
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        if index < bytes.count, bytes[index] == close {
            guard index + 1 == bytes.count else { throw malformed("trailing characters") }
            return
        }

        var scratch: [UInt8] = []
        while true {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { throw malformed("unterminated") }
            scratch.removeAll(keepingCapacity: true)
            var isNull = false
            if bytes[index] == quote {
                index += 1
                while true {
                    guard index < bytes.count else { throw malformed("unterminated quoted element") }
                    var byte = bytes[index]
                    if byte == quote { index += 1; break }
                    if byte == backslash {
                        index += 1
                        guard index < bytes.count else { throw malformed("dangling backslash") }
                        byte = bytes[index]
                    }
                    scratch.append(byte)
                    index += 1
                }
            } else if bytes[index] == open {
                throw malformed("multi-dimensional arrays are not supported")
            } else {
                var escaped = false
                var lastSignificant = 0
                while index < bytes.count, bytes[index] != comma, bytes[index] != close {
                    var byte = bytes[index]
                    if byte == backslash {
                        index += 1
                        guard index < bytes.count else { throw malformed("dangling backslash") }
                        byte = bytes[index]
                        escaped = true
                        scratch.append(byte)
                        lastSignificant = scratch.count
                    } else {
                        scratch.append(byte)
                        if !isSpace(byte) { lastSignificant = scratch.count }
                    }
                    index += 1
                }
                scratch.removeLast(scratch.count - lastSignificant)
                guard !scratch.isEmpty else { throw malformed("empty unquoted element") }
                isNull = !escaped && scratch.count == 4
                    && String(decoding: scratch, as: UTF8.self).uppercased() == "NULL"
            }
            if isNull {
                try element(nil)
            } else {
                try scratch.withUnsafeBytes { try element($0) }
            }
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { throw malformed("unterminated") }
            if bytes[index] == comma { index += 1; continue }
            guard bytes[index] == close, index + 1 == bytes.count else { throw malformed("expected ',' or '}'") }
            return
        }
    }
}
