/// Small allocation-free parsers over libpq's text output, shared by the decoders.
enum ByteParsing {
    /// Parses an optionally signed base-10 integer filling the whole buffer; nil on any other input
    /// or overflow.
    @inline(__always)
    static func int64(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let count = bytes.count
        guard count > 0 else { return nil }
        var negative = false
        if bytes[0] == UInt8(ascii: "-") { negative = true; index = 1 }
        else if bytes[0] == UInt8(ascii: "+") { index = 1 }
        guard index < count else { return nil }
        // Accumulate negatively so Int64.min parses without overflow.
        var value: Int64 = 0
        while index < count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = times10.subtractingReportingOverflow(Int64(digit))
            guard !o1, !o2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// The value of one ASCII hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }

    /// Decodes `bytea` hex output (`\x0aff…`).
    static func byteaHex(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "\\"), bytes[1] == UInt8(ascii: "x"),
            bytes.count % 2 == 0
        else { return nil }
        let byteCount = (bytes.count - 2) / 2
        var failed = false
        let result = [UInt8](unsafeUninitializedCapacity: byteCount) { buffer, initialized in
            var source = 2
            for index in 0..<byteCount {
                guard let high = hexValue(bytes[source]), let low = hexValue(bytes[source + 1]) else {
                    failed = true
                    break
                }
                buffer[index] = high << 4 | low
                source += 2
            }
            initialized = failed ? 0 : byteCount
        }
        return failed ? nil : result
    }

    /// Encodes bytes as `bytea` hex input (`\x…`), used inside array literals.
    static func byteaHexString(_ bytes: [UInt8]) -> String {
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 2 + bytes.count * 2) { buffer in
            buffer[0] = UInt8(ascii: "\\")
            buffer[1] = UInt8(ascii: "x")
            digits.withUTF8Buffer { hex in
                for (index, byte) in bytes.enumerated() {
                    buffer[2 + index * 2] = hex[Int(byte >> 4)]
                    buffer[3 + index * 2] = hex[Int(byte & 0x0f)]
                }
            }
            return 2 + bytes.count * 2
        }
    }

    /// A short, printable excerpt of a bad value for error messages.
    static func excerpt(_ bytes: UnsafeRawBufferPointer) -> String {
        let text = String(decoding: bytes.prefix(40), as: UTF8.self)
        return bytes.count > 40 ? "'\(text)…'" : "'\(text)'"
    }
}
