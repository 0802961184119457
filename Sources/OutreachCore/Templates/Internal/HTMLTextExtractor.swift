import Foundation

/// A small, forgiving HTML → plain text converter for deriving an email's text part.
///
/// Not a full HTML parser: email bodies are simple, and the goal is readable text, not a DOM.
/// Works on unicode scalars so no grapheme clustering can hide a `<` or `&`.
struct HTMLTextExtractor {
    private let input: [Unicode.Scalar]
    private var index = 0
    private var output = String.UnicodeScalarView()
    /// Open `<a>` elements: href and where their text starts in `output`.
    private var links: [(href: String, start: Int)] = []

    static func extract(_ html: String) -> String {
        var extractor = HTMLTextExtractor(input: Array(html.unicodeScalars))
        extractor.run()
        return extractor.finish()
    }

    private init(input: [Unicode.Scalar]) {
        self.input = input
    }

    private mutating func run() {
        while index < input.count {
            let scalar = input[index]
            if scalar == "<" {
                if starts(with: "<!--") {
                    skip(past: "-->")
                } else if let tag = readTag() {
                    handle(tag)
                } else {
                    appendText("<")
                    index += 1
                }
            } else if scalar == "&" {
                let (decoded, length) = decodeEntity(at: index)
                appendText(decoded)
                index += length
            } else {
                appendText(String(scalar))
                index += 1
            }
        }
    }

    private struct Tag {
        var name: String
        var closing: Bool
        var attributes: [String: String]
    }

    /// Reads `<name attr="v" …>` at `index`; nil (and no movement) if it is not a tag.
    private mutating func readTag() -> Tag? {
        var i = index + 1
        var closing = false
        if i < input.count, input[i] == "/" { closing = true; i += 1 }
        if i < input.count, input[i] == "!" || input[i] == "?" {
            // Doctype or processing instruction: drop it.
            while i < input.count, input[i] != ">" { i += 1 }
            index = min(i + 1, input.count)
            return Tag(name: "!", closing: false, attributes: [:])
        }
        guard i < input.count, input[i].isAlphabeticScalar else { return nil }
        var name = ""
        while i < input.count, input[i].isAlphabeticScalar || ("0"..."9").contains(input[i]) {
            name.unicodeScalars.append(input[i]); i += 1
        }
        var attributes: [String: String] = [:]
        while i < input.count, input[i] != ">" {
            if input[i].isWhitespaceScalar || input[i] == "/" { i += 1; continue }
            var attribute = ""
            while i < input.count, !input[i].isWhitespaceScalar, input[i] != "=", input[i] != ">" {
                attribute.unicodeScalars.append(input[i]); i += 1
            }
            var value = ""
            if i < input.count, input[i] == "=" {
                i += 1
                if i < input.count, input[i] == "\"" || input[i] == "'" {
                    let quote = input[i]
                    i += 1
                    while i < input.count, input[i] != quote { value.unicodeScalars.append(input[i]); i += 1 }
                    i += 1
                } else {
                    while i < input.count, !input[i].isWhitespaceScalar, input[i] != ">" {
                        value.unicodeScalars.append(input[i]); i += 1
                    }
                }
            }
            if !attribute.isEmpty { attributes[attribute.lowercased()] = Self.decodeEntities(value) }
        }
        index = min(i + 1, input.count)
        return Tag(name: name.lowercased(), closing: closing, attributes: attributes)
    }

    private mutating func handle(_ tag: Tag) {
        switch (tag.name, tag.closing) {
        case ("head", false), ("style", false), ("script", false), ("title", false):
            skip(pastClosingTag: tag.name)
        case ("br", _):
            output.append("\n")
        case ("li", false):
            output.append(contentsOf: "\n- ".unicodeScalars)
        case ("p", true), ("h1", true), ("h2", true), ("h3", true), ("h4", true), ("h5", true), ("h6", true),
            ("table", true), ("ul", true), ("ol", true), ("blockquote", true):
            output.append(contentsOf: "\n\n".unicodeScalars)
        case ("div", true), ("tr", true), ("p", false), ("div", false):
            output.append("\n")
        case ("td", true), ("th", true):
            output.append(" ")
        case ("a", false):
            links.append((tag.attributes["href"] ?? "", output.count))
        case ("a", true):
            guard let link = links.popLast() else { break }
            closeLink(link)
        default:
            break
        }
    }

    /// Turns the text of a finished link into `text (url)`; a link whose text already is the
    /// URL, or whose href is only an anchor, keeps just its text.
    private mutating func closeLink(_ link: (href: String, start: Int)) {
        let href = link.href.trimmingWhitespace()
        guard !href.isEmpty, !href.hasPrefix("#") else { return }
        let startIndex = output.index(output.startIndex, offsetBy: link.start)
        let text = String(String.UnicodeScalarView(output[startIndex...])).trimmingWhitespace()
        let bareHref = href.hasPrefix("mailto:") ? String(href.dropFirst("mailto:".count)) : href
        if text.isEmpty {
            output.append(contentsOf: bareHref.unicodeScalars)
        } else if text != href, text != bareHref {
            output.append(contentsOf: " (\(bareHref))".unicodeScalars)
        }
    }

    /// Appends text with HTML whitespace semantics: any run of whitespace is one space.
    private mutating func appendText(_ text: String) {
        for scalar in text.unicodeScalars {
            if scalar.isWhitespaceScalar, scalar != "\u{A0}" {
                if let last = output.last, last != " ", last != "\n" { output.append(" ") }
            } else {
                output.append(scalar == "\u{A0}" ? " " : scalar)
            }
        }
    }

    private func starts(with prefix: String) -> Bool {
        var i = index
        for scalar in prefix.unicodeScalars {
            guard i < input.count, input[i] == scalar else { return false }
            i += 1
        }
        return true
    }

    private mutating func skip(past terminator: String) {
        while index < input.count, !starts(with: terminator) { index += 1 }
        index = min(index + terminator.unicodeScalars.count, input.count)
    }

    private mutating func skip(pastClosingTag name: String) {
        while index < input.count {
            if input[index] == "<", input.count > index + 1, input[index + 1] == "/" {
                let saved = index
                if let tag = readTag(), tag.closing, tag.name == name { return }
                index = saved + 1
            } else {
                index += 1
            }
        }
    }

    /// Normalizes the collected text: trims every line, keeps at most one blank line in a row.
    private func finish() -> String {
        var lines: [String] = []
        for line in String(output).split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingSpaces()
            if trimmed.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(trimmed)
        }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return lines.joined(separator: "\n")
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}",
        "copy": "©", "reg": "®", "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "euro": "€", "laquo": "«", "raquo": "»",
    ]

    /// Decodes the entity at `start` (which holds `&`); unknown ones stay literal.
    private func decodeEntity(at start: Int) -> (String, Int) {
        var i = start + 1
        var name = ""
        while i < input.count, i - start <= 32, input[i] != ";" {
            guard input[i].isAlphabeticScalar || ("0"..."9").contains(input[i]) || input[i] == "#" else {
                return ("&", 1)
            }
            name.unicodeScalars.append(input[i])
            i += 1
        }
        guard i < input.count, input[i] == ";" else { return ("&", 1) }
        let length = i - start + 1
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            if let value, let scalar = Unicode.Scalar(value) { return (String(scalar), length) }
            return ("&", 1)
        }
        if let decoded = Self.namedEntities[name] { return (decoded, length) }
        return ("&", 1)
    }

    private static func decodeEntities(_ text: String) -> String {
        let extractor = HTMLTextExtractor(input: Array(text.unicodeScalars))
        var result = ""
        var i = 0
        while i < extractor.input.count {
            if extractor.input[i] == "&" {
                let (decoded, length) = extractor.decodeEntity(at: i)
                result += decoded
                i += length
            } else {
                result.unicodeScalars.append(extractor.input[i])
                i += 1
            }
        }
        return result
    }
}
