/// An RFC 4180 CSV reader over UTF-8 bytes: quoted fields may hold commas, doubled quotes and
/// line breaks; records end with LF or CRLF; a leading byte-order mark is ignored.
///
/// It works on bytes rather than `Character`s (no grapheme breaking), which keeps a 100 000-row
/// import well under a second of parsing.
public enum CSVParser {
    /// One record and the physical line it starts on (1-based, as an editor shows it).
    public struct Record: Sendable, Equatable {
        public var line: Int
        public var fields: [String]

        public init(line: Int, fields: [String]) {
            self.line = line
            self.fields = fields
        }
    }

    static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    /// Parses `bytes`. Completely empty lines are skipped. Throws `.badInput` naming the line for
    /// text that is not UTF-8, an unterminated quoted field, or a quote inside an unquoted field.
    public static func parse(_ bytes: [UInt8]) throws(OutreachError) -> [Record] {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if let bad = firstInvalidUTF8(bytes, from: start) {
            throw .badInput("line \(lineNumber(of: bad, in: bytes)): the file is not UTF-8 text")
        }
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1
        var recordLine = 1
        var index = start
        var quotedFieldLine = 0
        /// The current field was quoted and its closing quote has been read.
        var closedQuote = false
        var inQuotes = false
        var atFieldStart = true

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            closedQuote = false
            atFieldStart = true
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }

        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            if inQuotes {
                if byte == quote {
                    if index + 1 < count, bytes[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    inQuotes = false
                    closedQuote = true
                } else {
                    if byte == lf { line += 1 }
                    field.append(byte)
                }
                index += 1
                continue
            }
            switch byte {
            case comma:
                endField()
            case lf, cr:
                if byte == cr, index + 1 < count, bytes[index + 1] == lf { index += 1 }
                endRecord()
                line += 1
                recordLine = line
            case quote:
                guard atFieldStart else {
                    throw .badInput("line \(line): a quote inside an unquoted field (quote the whole field and double the quote)")
                }
                inQuotes = true
                quotedFieldLine = line
                atFieldStart = false
            default:
                if closedQuote {
                    throw .badInput("line \(line): text after a closing quote (a field's quotes must enclose all of it)")
                }
                field.append(byte)
                atFieldStart = false
            }
            index += 1
        }
        if inQuotes { throw .badInput("line \(quotedFieldLine): a quoted field is never closed") }
        if !fields.isEmpty || !field.isEmpty || closedQuote { endRecord() }
        return records
    }

    /// The offset of the first byte that is not part of valid UTF-8, if any.
    static func firstInvalidUTF8(_ bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        let count = bytes.count
        while index < count {
            let b = bytes[index]
            if b < 0x80 { index += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return index
            }
            guard index + length <= count else { return index }
            for k in 1..<length {
                let c = bytes[index + k]
                guard c & 0xC0 == 0x80 else { return index }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return index }
            index += length
        }
        return nil
    }

    static func lineNumber(of offset: Int, in bytes: [UInt8]) -> Int {
        1 + bytes[..<offset].reduce(0) { $0 + ($1 == lf ? 1 : 0) }
    }
}
