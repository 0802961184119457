/// Checks a message against Telegram's `parse_mode=HTML` rules, as documented for the Bot API:
/// only the supported tags, only `&lt;` `&gt;` `&amp;` `&quot;` and numeric entities, every `<`,
/// `>` and `&` outside tags and entities escaped, and tags closed in order.
///
/// Returns nil when well-formed, else a reason. Also returns the visible text so tests can check
/// that escaping round-trips.
enum TelegramHTMLChecker {
    static let allowedTags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
        "tg-spoiler", "blockquote",
    ]

    static func check(_ html: String) -> (problem: String?, text: String) {
        let scalars = Array(html.unicodeScalars)
        var text = String.UnicodeScalarView()
        var open: [String] = []
        var i = 0
        while i < scalars.count {
            let scalar = scalars[i]
            switch scalar {
            case "<":
                guard let end = scalars[i...].firstIndex(of: ">") else { return ("unterminated tag", String(text)) }
                let inner = String(String.UnicodeScalarView(scalars[(i + 1)..<end]))
                if inner.hasPrefix("/") {
                    let name = String(inner.dropFirst())
                    guard open.last == name else { return ("'</\(name)>' closes '\(open.last ?? "nothing")'", String(text)) }
                    open.removeLast()
                } else {
                    let parts = inner.split(separator: " ", maxSplits: 1).map(String.init)
                    guard let name = parts.first, allowedTags.contains(name) else {
                        return ("unsupported tag '<\(inner)>'", String(text))
                    }
                    let attributes = parts.count > 1 ? parts[1] : ""
                    if let problem = checkAttributes(name, attributes) { return (problem, String(text)) }
                    open.append(name)
                }
                i = end + 1
            case ">":
                return ("unescaped '>' in text", String(text))
            case "&":
                guard let end = scalars[i...].firstIndex(of: ";") else { return ("bare '&'", String(text)) }
                let entity = String(String.UnicodeScalarView(scalars[(i + 1)..<end]))
                guard let decoded = decode(entity) else { return ("unsupported entity '&\(entity);'", String(text)) }
                text.append(decoded)
                i = end + 1
            default:
                text.append(scalar)
                i += 1
            }
        }
        if let unclosed = open.last { return ("'<\(unclosed)>' never closed", String(text)) }
        return (nil, String(text))
    }

    private static func decode(_ entity: String) -> Unicode.Scalar? {
        switch entity {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        default:
            guard entity.hasPrefix("#") else { return nil }
            let digits = entity.dropFirst()
            let value = digits.first == "x" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return value.flatMap(Unicode.Scalar.init)
        }
    }

    /// Attribute values must be double-quoted and contain no raw `"`, `<` or bare `&`.
    private static func checkAttributes(_ tag: String, _ attributes: String) -> String? {
        if attributes.isEmpty { return tag == "a" ? "<a> without href" : nil }
        switch tag {
        case "a":
            guard attributes.hasPrefix("href=\""), attributes.hasSuffix("\""), attributes.count >= 7 else {
                return "bad <a> attributes '\(attributes)'"
            }
            let value = attributes.dropFirst(6).dropLast()
            if value.contains("\"") || value.contains("<") { return "attribute value breaks out: '\(value)'" }
            return nil
        case "span":
            return attributes == "class=\"tg-spoiler\"" ? nil : "span needs class=\"tg-spoiler\""
        case "blockquote":
            return attributes == "expandable" ? nil : "bad blockquote attribute"
        case "code", "pre":
            return attributes.hasPrefix("class=\"language-") ? nil : "bad \(tag) attribute"
        default:
            return "'<\(tag)>' takes no attributes"
        }
    }
}
