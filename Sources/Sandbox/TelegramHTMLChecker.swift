/// Why Telegram could not parse a message's entities; the text follows
/// "Bad Request: can't parse entities: ".
struct TelegramParseError: Error, Sendable, Equatable {
    let reason: String
}

/// Telegram's `parse_mode=HTML` rules, as the Bot API documents them: the tags `b`, `strong`,
/// `i`, `em`, `u`, `ins`, `s`, `strike`, `del`, `span class="tg-spoiler"`, `tg-spoiler`,
/// `a href`, `code`, `pre`, `blockquote` (and `tg-emoji`); tags must nest and close; the only
/// named entities are `&lt;` `&gt;` `&amp;` `&quot;`, plus numeric `&#NN;` and `&#xHH;`.
///
/// Stricter than Telegram's parser in one way, on purpose: a bare `&` or `>` is an error, as
/// the documentation says it must be escaped. The sandbox exists to catch escaping bugs in
/// rendered variables before a real chat does.
///
/// Error texts and byte offsets follow Telegram's (tdlib's) wording.
enum TelegramHTMLChecker {
    private static let allowedTags: Set<String> = [
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "code", "pre", "blockquote", "tg-emoji",
    ]

    /// The plain text Telegram would deliver, or why it would reject `html`.
    static func plainText(of html: String) throws(TelegramParseError) -> String {
        let bytes = Array(html.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var open: [(name: String, offset: Int)] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "&"):
                let (scalar, length) = try entity(in: bytes, at: index)
                output.append(contentsOf: Array(String(Character(scalar)).utf8))
                index += length
            case UInt8(ascii: ">"):
                throw TelegramParseError(reason: "Character '>' must be escaped as &gt; at byte offset \(index)")
            case UInt8(ascii: "<"):
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "/") {
                    index = try closeTag(in: bytes, at: index, open: &open)
                } else {
                    let (name, next) = try startTag(in: bytes, at: index)
                    open.append((name, index))
                    index = next
                }
            default:
                output.append(byte)
                index += 1
            }
        }
        if let unclosed = open.last {
            throw TelegramParseError(reason: "Can't find end tag corresponding to start tag \"\(unclosed.name)\"")
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes the entity starting at `start` (an `&`); returns its character and length.
    private static func entity(in bytes: [UInt8], at start: Int) throws(TelegramParseError) -> (Unicode.Scalar, Int) {
        var end = start + 1
        while end < bytes.count, end - start <= 12, bytes[end] != UInt8(ascii: ";") { end += 1 }
        guard end < bytes.count, bytes[end] == UInt8(ascii: ";"), end > start + 1 else {
            throw TelegramParseError(reason: "Character '&' must be escaped as &amp; at byte offset \(start)")
        }
        let name = String(decoding: bytes[(start + 1)..<end], as: UTF8.self)
        let length = end - start + 1
        switch name {
        case "lt": return ("<", length)
        case "gt": return (">", length)
        case "amp": return ("&", length)
        case "quot": return ("\"", length)
        default: break
        }
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value: UInt32? = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            if let value, value != 0, let scalar = Unicode.Scalar(value) { return (scalar, length) }
        }
        throw TelegramParseError(reason: "Unsupported HTML entity \"&\(name);\" at byte offset \(start)")
    }

    /// Parses `<name attr="…">` at `start`; returns the tag name and the index after `>`.
    private static func startTag(in bytes: [UInt8], at start: Int) throws(TelegramParseError) -> (String, Int) {
        var index = start + 1
        let nameStart = index
        while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
        guard index < bytes.count else { throw TelegramParseError(reason: "Unclosed start tag at byte offset \(start)") }
        guard allowedTags.contains(name) else {
            throw TelegramParseError(reason: "Unsupported start tag \"\(name)\" at byte offset \(start)")
        }
        var attributes: [String: String] = [:]
        while true {
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { throw TelegramParseError(reason: "Unclosed start tag at byte offset \(start)") }
            if bytes[index] == UInt8(ascii: ">") { index += 1; break }
            let attributeStart = index
            while index < bytes.count, isNameByte(bytes[index]) { index += 1 }
            guard index > attributeStart else {
                throw TelegramParseError(reason: "Empty attribute name in the tag \"\(name)\" at byte offset \(start)")
            }
            let attribute = String(decoding: bytes[attributeStart..<index], as: UTF8.self).lowercased()
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { throw TelegramParseError(reason: "Unclosed start tag at byte offset \(start)") }
            if bytes[index] != UInt8(ascii: "=") {
                // A value-less attribute, like `<blockquote expandable>`.
                attributes[attribute] = ""
                continue
            }
            index += 1
            while index < bytes.count, isSpace(bytes[index]) { index += 1 }
            guard index < bytes.count else { throw TelegramParseError(reason: "Unclosed start tag at byte offset \(start)") }
            let value: String
            if bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
                let quote = bytes[index]
                let valueStart = index + 1
                index = valueStart
                while index < bytes.count, bytes[index] != quote { index += 1 }
                guard index < bytes.count else { throw TelegramParseError(reason: "Unclosed start tag at byte offset \(start)") }
                value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
                index += 1
            } else {
                let valueStart = index
                while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
                value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
            }
            attributes[attribute] = value
        }
        if name == "span", attributes["class"] != "tg-spoiler" {
            throw TelegramParseError(reason: "Tag \"span\" must have class \"tg-spoiler\" at byte offset \(start)")
        }
        return (name, index)
    }

    /// Parses `</name>` at `start` against the innermost open tag; returns the index after `>`.
    private static func closeTag(
        in bytes: [UInt8], at start: Int, open: inout [(name: String, offset: Int)]
    ) throws(TelegramParseError) -> Int {
        var index = start + 2
        let nameStart = index
        while index < bytes.count, bytes[index] != UInt8(ascii: ">") { index += 1 }
        guard index < bytes.count else { throw TelegramParseError(reason: "Unclosed end tag at byte offset \(start)") }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
            .lowercased().filter { $0 != " " && $0 != "\t" && $0 != "\n" }
        guard let innermost = open.last else {
            throw TelegramParseError(reason: "Unexpected end tag at byte offset \(start)")
        }
        guard name == innermost.name else {
            throw TelegramParseError(
                reason: "Unmatched end tag at byte offset \(start), expected \"</\(innermost.name)>\", found \"</\(name)>\"")
        }
        open.removeLast()
        return index + 1
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }
}
