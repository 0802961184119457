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
extension Int: PostgresArrayElement {
    public static func postgresData(forArray elements: [Int]) -> PostgresData { .text(ArrayLiteral.encodeIntegers(elements)) }
}
extension Int64: PostgresArrayElement {
    public static func postgresData(forArray elements: [Int64]) -> PostgresData { .text(ArrayLiteral.encodeIntegers(elements)) }
}
extension Int32: PostgresArrayElement {
    public static func postgresData(forArray elements: [Int32]) -> PostgresData { .text(ArrayLiteral.encodeIntegers(elements)) }
}
extension Int16: PostgresArrayElement {
    public static func postgresData(forArray elements: [Int16]) -> PostgresData { .text(ArrayLiteral.encodeIntegers(elements)) }
}
extension Double: PostgresArrayElement {}
extension Bool: PostgresArrayElement {}
extension UUID: PostgresArrayElement {
    public static func postgresData(forArray elements: [UUID]) -> PostgresData { .text(ArrayLiteral.encodeUUIDs(elements)) }
}
extension Date: PostgresArrayElement {}
/// `[String?]` and friends: `nil` elements are `NULL` (distinct from the string `"NULL"`).
extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement & PostgresEncodable & PostgresDecodable {}

/// Postgres' array literal syntax (`{"a","b c",NULL}`) for one-dimensional arrays.
enum ArrayLiteral {
    /// Every non-NULL element is double-quoted with `"` and `\` escaped, so commas, braces,
    /// whitespace, empty strings and the word `NULL` all survive unchanged.
    ///
    /// Written byte by byte into one allocation sized for the worst case (every byte escaped):
    /// appending to a `String` per element was a tenth of the worker's CPU in batch binds.
    static func encode(_ elements: [PostgresData]) -> String {
        var capacity = 2 + elements.count
        for element in elements {
            switch element {
            case .null: capacity += 4
            case .text(let value): capacity += 2 * value.utf8.count + 2
            case .bytea(let bytes): capacity += 4 * bytes.count + 6
            }
        }
        return framed(elements, capacity: capacity) { element, buffer, index in
            // Double-quoted, with `"` and `\` escaped (bytea's `\x…` has only the backslash).
            func putQuoted(_ bytes: some Sequence<UInt8>) {
                buffer[index] = UInt8(ascii: "\"")
                index += 1
                for byte in bytes {
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                        buffer[index] = UInt8(ascii: "\\")
                        index += 1
                    }
                    buffer[index] = byte
                    index += 1
                }
                buffer[index] = UInt8(ascii: "\"")
                index += 1
            }
            switch element {
            case .null:
                for byte in "NULL".utf8 {
                    buffer[index] = byte
                    index += 1
                }
            case .text(var value):
                value.withUTF8 { putQuoted($0) }
            case .bytea(let bytes):
                putQuoted(ByteParsing.byteaHexString(bytes).utf8)
            }
        }
    }

    /// `{1,-2,3}`: integers need no quotes, and their digits go straight into the literal
    /// without a `String` per element.
    static func encodeIntegers<T: FixedWidthInteger>(_ values: [T]) -> String {
        // 20 digits and a sign cover Int64.min; one more for each comma.
        framed(values, capacity: 2 + values.count * 22) { value, buffer, index in
            if value < 0 {
                buffer[index] = UInt8(ascii: "-")
                index += 1
            }
            var magnitude = value.magnitude
            let digitsStart = index
            repeat {
                buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
                index += 1
            } while magnitude > 0
            buffer[digitsStart..<index].reverse()
        }
    }

    /// `{0b7e…,…}`: UUIDs in canonical lowercase form, unquoted (they have no special bytes).
    static func encodeUUIDs(_ values: [UUID]) -> String {
        framed(values, capacity: 2 + values.count * 37) { value, buffer, index in
            withUnsafeBytes(of: value.uuid) { bytes in
                for (offset, byte) in bytes.enumerated() {
                    if offset == 4 || offset == 6 || offset == 8 || offset == 10 {
                        buffer[index] = UInt8(ascii: "-")
                        index += 1
                    }
                    buffer[index] = hexDigits[Int(byte >> 4)]
                    buffer[index + 1] = hexDigits[Int(byte & 0x0F)]
                    index += 2
                }
            }
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// `{` elements separated by commas `}`, each written in place by `write` into one
    /// allocation of `capacity` bytes (braces and commas included).
    private static func framed<Element>(
        _ values: [Element], capacity: Int,
        _ write: (Element, UnsafeMutableBufferPointer<UInt8>, inout Int) -> Void
    ) -> String {
        String(unsafeUninitializedCapacity: capacity) { buffer in
            var index = 0
            buffer[index] = UInt8(ascii: "{")
            index += 1
            for (position, value) in values.enumerated() {
                if position > 0 {
                    buffer[index] = UInt8(ascii: ",")
                    index += 1
                }
                write(value, buffer, &index)
            }
            buffer[index] = UInt8(ascii: "}")
            return index + 1
        }
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
