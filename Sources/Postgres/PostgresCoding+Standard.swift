import Foundation

// Conformances for the scalar types the engine stores. Each decoder parses libpq's text output
// directly from its buffer: these run for every column of every row, so they avoid `String`s
// where the format allows.

extension String: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData { .text(self) }

    public static func decode(postgresText: String?) throws -> String {
        guard let postgresText else { throw PostgresError.unexpectedNull(String.self) }
        return postgresText
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> String {
        guard let postgresBytes else { throw PostgresError.unexpectedNull(String.self) }
        return String(decoding: postgresBytes, as: UTF8.self)
    }
}

/// Shared decoding for the fixed-width integers: parse as `Int64`, then narrow exactly.
enum IntegerCoding {
    static func decode<T: FixedWidthInteger>(_ text: String?) throws -> T {
        guard var text else { throw PostgresError.unexpectedNull(T.self) }
        return try text.withUTF8 { try decode(UnsafeRawBufferPointer($0)) }
    }

    static func decode<T: FixedWidthInteger>(_ bytes: UnsafeRawBufferPointer?) throws -> T {
        guard let bytes else { throw PostgresError.unexpectedNull(T.self) }
        guard let wide = ByteParsing.int64(bytes), let value = T(exactly: wide) else {
            throw PostgresError.decoding("\(ByteParsing.excerpt(bytes)) is not a valid \(T.self)")
        }
        return value
    }
}

extension Int: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData { .text(String(self)) }

    public static func decode(postgresText: String?) throws -> Int {
        try IntegerCoding.decode(postgresText)
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Int {
        try IntegerCoding.decode(postgresBytes)
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData { .text(String(self)) }

    public static func decode(postgresText: String?) throws -> Int64 {
        try IntegerCoding.decode(postgresText)
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Int64 {
        try IntegerCoding.decode(postgresBytes)
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData { .text(String(self)) }

    public static func decode(postgresText: String?) throws -> Int32 {
        try IntegerCoding.decode(postgresText)
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Int32 {
        try IntegerCoding.decode(postgresBytes)
    }
}

extension Int16: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData { .text(String(self)) }

    public static func decode(postgresText: String?) throws -> Int16 {
        try IntegerCoding.decode(postgresText)
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Int16 {
        try IntegerCoding.decode(postgresBytes)
    }
}

extension Double: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData {
        // Swift prints the shortest round-tripping form ("0.1", "1e-05"); only the special
        // values need Postgres' spelling.
        if isNaN { return .text("NaN") }
        if isInfinite { return .text(self < 0 ? "-Infinity" : "Infinity") }
        return .text(description)
    }

    public static func decode(postgresText: String?) throws -> Double {
        guard let postgresText else { throw PostgresError.unexpectedNull(Double.self) }
        switch postgresText {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default:
            guard let value = Double(postgresText) else {
                throw PostgresError.decoding("'\(postgresText.prefix(40))' is not a valid Double")
            }
            return value
        }
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData { .text(self ? "true" : "false") }

    public static func decode(postgresText: String?) throws -> Bool {
        guard var postgresText else { throw PostgresError.unexpectedNull(Bool.self) }
        return try postgresText.withUTF8 { try decode(postgresBytes: UnsafeRawBufferPointer($0)) }
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Bool {
        guard let postgresBytes else { throw PostgresError.unexpectedNull(Bool.self) }
        // The server prints `t`/`f`; accept the long forms too for values that went through text.
        switch String(decoding: postgresBytes, as: UTF8.self) {
        case "t", "true": return true
        case "f", "false": return false
        default:
            throw PostgresError.decoding("\(ByteParsing.excerpt(postgresBytes)) is not a valid Bool")
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    public var postgresData: PostgresData { .text(uuidString) }

    public static func decode(postgresText: String?) throws -> UUID {
        guard var postgresText else { throw PostgresError.unexpectedNull(UUID.self) }
        return try postgresText.withUTF8 { try decode(postgresBytes: UnsafeRawBufferPointer($0)) }
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> UUID {
        guard let postgresBytes else { throw PostgresError.unexpectedNull(UUID.self) }
        // Canonical 8-4-4-4-12 form, which is what the server prints.
        if postgresBytes.count == 36 {
            var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            let parsed = withUnsafeMutableBytes(of: &raw) { out -> Bool in
                var source = 0
                for index in 0..<16 {
                    if source == 8 || source == 13 || source == 18 || source == 23 {
                        guard postgresBytes[source] == UInt8(ascii: "-") else { return false }
                        source += 1
                    }
                    guard let high = ByteParsing.hexValue(postgresBytes[source]),
                        let low = ByteParsing.hexValue(postgresBytes[source + 1])
                    else { return false }
                    out[index] = high << 4 | low
                    source += 2
                }
                return true
            }
            if parsed { return UUID(uuid: raw) }
        }
        throw PostgresError.decoding("\(ByteParsing.excerpt(postgresBytes)) is not a valid UUID")
    }
}

extension Date: PostgresEncodable, PostgresDecodable {
    /// Encoded as a UTC `timestamptz` literal with microseconds, e.g. `2024-05-06 07:08:09.123456+00`.
    public var postgresData: PostgresData { .text(TimestampCoding.format(self)) }

    public static func decode(postgresText: String?) throws -> Date {
        guard var postgresText else { throw PostgresError.unexpectedNull(Date.self) }
        return try postgresText.withUTF8 { try decode(postgresBytes: UnsafeRawBufferPointer($0)) }
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Date {
        guard let postgresBytes else { throw PostgresError.unexpectedNull(Date.self) }
        guard let date = TimestampCoding.parse(postgresBytes) else {
            throw PostgresError.decoding(
                "\(ByteParsing.excerpt(postgresBytes)) is not a valid timestamp")
        }
        return date
    }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    /// `nil` binds SQL `NULL`.
    public var postgresData: PostgresData {
        switch self {
        case .none: .null
        case .some(let value): value.postgresData
        }
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText: String?) throws -> Wrapped? {
        guard let postgresText else { return nil }
        return try Wrapped.decode(postgresText: postgresText)
    }

    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Wrapped? {
        guard let postgresBytes else { return nil }
        return try Wrapped.decode(postgresBytes: postgresBytes)
    }
}

extension PostgresError {
    static func unexpectedNull(_ type: Any.Type) -> PostgresError {
        .decoding("unexpected NULL for non-optional \(type)")
    }
}
