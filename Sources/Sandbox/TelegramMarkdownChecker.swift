/// Telegram's `parse_mode=MarkdownV2` rules, a faithful subset: `*bold*`, `_italic_`,
/// `__underline__`, `~strike~`, `||spoiler||`, `` `code` ``, ```` ```pre``` ````,
/// `[text](url)`, `>` quotes at line start, and `\` escapes. Outside those, each of
/// `_*[]()~`>#+-=|{}.!` must be escaped, which is the rule rendered variables break.
enum TelegramMarkdownChecker {
    private static let reserved: Set<Character> = [
        "_", "*", "[", "]", "(", ")", "~", "`", ">", "#", "+", "-", "=", "|", "{", "}", ".", "!",
    ]

    private enum Marker: String {
        case bold = "*", italic = "_", underline = "__", strike = "~", spoiler = "||", link = "["

        /// tdlib's entity names, used in its "Can't find end of … entity" errors.
        var entityName: String {
            switch self {
            case .bold: "Bold"
            case .italic: "Italic"
            case .underline: "Underline"
            case .strike: "Strikethrough"
            case .spoiler: "Spoiler"
            case .link: "TextUrl"
            }
        }
    }

    /// The plain text Telegram would deliver, or why it would reject `markdown`.
    static func plainText(of markdown: String) throws(TelegramParseError) -> String {
        let characters = Array(markdown)
        // Byte offsets for messages, as Telegram reports them.
        var byteOffsets: [Int] = []
        byteOffsets.reserveCapacity(characters.count + 1)
        var running = 0
        for character in characters {
            byteOffsets.append(running)
            running += character.utf8.count
        }
        byteOffsets.append(running)

        var output = ""
        var open: [(marker: Marker, offset: Int)] = []
        var index = 0
        var atLineStart = true
        while index < characters.count {
            let character = characters[index]
            let offset = byteOffsets[index]
            defer { atLineStart = character == "\n" }
            switch character {
            case "\\":
                guard index + 1 < characters.count, let ascii = characters[index + 1].asciiValue, (1...126).contains(ascii) else {
                    throw TelegramParseError(reason: "Character '\\' is reserved and must be escaped with the preceding '\\'")
                }
                output.append(characters[index + 1])
                index += 2
                continue
            case "`":
                let fence = index + 2 < characters.count && characters[index + 1] == "`" && characters[index + 2] == "`"
                index = try code(characters, from: index, fence: fence, offset: offset, into: &output)
                continue
            case "*", "~":
                toggle(character == "*" ? .bold : .strike, at: offset, open: &open)
            case "_":
                if index + 1 < characters.count, characters[index + 1] == "_" {
                    toggle(.underline, at: offset, open: &open)
                    index += 2
                    continue
                }
                toggle(.italic, at: offset, open: &open)
            case "|":
                guard index + 1 < characters.count, characters[index + 1] == "|" else { throw reservedError(character) }
                toggle(.spoiler, at: offset, open: &open)
                index += 2
                continue
            case "[":
                open.append((.link, offset))
            case "]":
                guard open.last?.marker == .link else { throw reservedError(character) }
                open.removeLast()
                guard index + 1 < characters.count, characters[index + 1] == "(" else {
                    // tdlib accepts `[text]` without a URL as plain text.
                    index += 1
                    continue
                }
                index = try linkURL(characters, from: index + 2, offsets: byteOffsets)
                continue
            case ">" where atLineStart:
                break  // A quote line: the marker is not part of the text.
            case _ where reserved.contains(character):
                throw reservedError(character)
            default:
                output.append(character)
            }
            index += 1
        }
        if let unclosed = open.last {
            throw TelegramParseError(reason: "Can't find end of \(unclosed.marker.entityName) entity at byte offset \(unclosed.offset)")
        }
        return output
    }

    /// Opens `marker`, or closes it when it is the innermost open entity. Closing an entity
    /// that is open further out leaves an inner one unclosed, which the end-of-text check reports.
    private static func toggle(_ marker: Marker, at offset: Int, open: inout [(marker: Marker, offset: Int)]) {
        if open.last?.marker == marker {
            open.removeLast()
        } else {
            open.append((marker, offset))
        }
    }

    /// Skips inline code or a pre block starting at `start`, appending its text; inside, only
    /// `` ` `` and `\` are escaped.
    private static func code(
        _ characters: [Character], from start: Int, fence: Bool, offset: Int, into output: inout String
    ) throws(TelegramParseError) -> Int {
        var index = start + (fence ? 3 : 1)
        if fence {
            // The first line may name a language: ```swift
            var lookahead = index
            while lookahead < characters.count, characters[lookahead] != "\n", characters[lookahead] != "`", characters[lookahead] != " " {
                lookahead += 1
            }
            if lookahead < characters.count, characters[lookahead] == "\n" { index = lookahead + 1 }
        }
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count, characters[index + 1] == "`" || characters[index + 1] == "\\" {
                output.append(characters[index + 1])
                index += 2
                continue
            }
            if character == "`" {
                if !fence { return index + 1 }
                if index + 2 < characters.count, characters[index + 1] == "`", characters[index + 2] == "`" { return index + 3 }
            }
            output.append(character)
            index += 1
        }
        throw TelegramParseError(reason: "Can't find end of \(fence ? "PreCode" : "Code") entity at byte offset \(offset)")
    }

    /// Skips a link's `(url)`, where only `)` and `\` are escaped; returns the index after `)`.
    private static func linkURL(_ characters: [Character], from start: Int, offsets: [Int]) throws(TelegramParseError) -> Int {
        var index = start
        while index < characters.count {
            if characters[index] == "\\", index + 1 < characters.count { index += 2; continue }
            if characters[index] == ")" { return index + 1 }
            index += 1
        }
        throw TelegramParseError(reason: "Can't find end of a URL at byte offset \(offsets[start - 1])")
    }

    private static func reservedError(_ character: Character) -> TelegramParseError {
        TelegramParseError(reason: "Character '\(character)' is reserved and must be escaped with the preceding '\\'")
    }
}
