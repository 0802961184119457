/// How interpolated values are escaped for the channel a rendering is destined for.
///
/// Escaping applies to interpolated *values* only; the template's own literal markup (the
/// `<b>` an author wrote around `{{name}}`) is trusted and passes through untouched.
public enum TemplateEscaping: Sendable, Hashable, CaseIterable {
    /// Email HTML bodies: `&` `<` `>` `"` `'` become entities.
    ///
    /// Triple-stash `{{{x}}}` / `{{& x}}` is honoured here (standard Mustache meaning: the author
    /// explicitly asked for raw HTML). ``ParsedTemplate/unescapedVariables`` lists such uses so a
    /// caller can refuse them for untrusted data.
    case html
    /// Email text parts, subjects and WhatsApp: values are inserted verbatim.
    case none
    /// Telegram `parse_mode=HTML`: `&` `<` `>` become `&amp;` `&lt;` `&gt;` (the only escapes
    /// Telegram requires in text). Inside a tag's attributes (`<a href="{{url}}">`) `"` also
    /// becomes `&quot;` so a value cannot close the attribute.
    ///
    /// Triple-stash is **ignored** for Telegram: a raw value could send markup Telegram rejects
    /// (the whole message fails with "can't parse entities"), so values are always escaped.
    case telegramHTML
    /// Telegram `parse_mode=MarkdownV2`: every one of `_*[]()~`>#+-=|{}.!` and `\` gets a
    /// backslash. Telegram allows escaping any ASCII punctuation anywhere (also inside code and
    /// link URLs), so the same rule is safe in every position. Triple-stash is ignored, as for
    /// ``telegramHTML``.
    case telegramMarkdownV2

    /// Whether `{{{x}}}` / `{{& x}}` really inserts the value unescaped for this channel.
    public var allowsUnescapedValues: Bool {
        switch self {
        case .html, .none: true
        case .telegramHTML, .telegramMarkdownV2: false
        }
    }

    /// Escapes a value interpolated in text content.
    public func escape(_ text: String) -> String {
        switch self {
        case .none: text
        case .html: Self.replacing(text, Self.htmlEntities)
        case .telegramHTML: Self.replacing(text, Self.telegramEntities)
        case .telegramMarkdownV2: Self.escapeMarkdownV2(text)
        }
    }

    /// Escapes a value interpolated inside an HTML tag (an attribute value).
    func escapeAttribute(_ text: String) -> String {
        switch self {
        case .telegramHTML: Self.replacing(text, Self.telegramAttributeEntities)
        default: escape(text)
        }
    }

    private static let htmlEntities: [Character: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;",
    ]
    private static let telegramEntities: [Character: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;",
    ]
    private static let telegramAttributeEntities: [Character: String] = [
        "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;",
    ]
    private static let markdownV2Specials: Set<Character> = Set("_*[]()~`>#+-=|{}.!\\")

    private static func replacing(_ text: String, _ table: [Character: String]) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        // Iterate unicode scalars, not Characters: a combining mark after `<` forms one grapheme
        // ("<\u{301}") that a Character lookup would miss, leaving a raw `<` for the parser.
        for scalar in text.unicodeScalars {
            if let replacement = table[Character(scalar)] {
                result += replacement
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    private static func escapeMarkdownV2(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if markdownV2Specials.contains(Character(scalar)) {
                result.unicodeScalars.append("\\")
            }
            result.unicodeScalars.append(scalar)
        }
        return result
    }
}
