import Foundation

/// Splits a template source into tokens, recording each token's original line and column.
///
/// This is our own lexer rather than swift-mustache's because we need positions in the source
/// *as written* (before Handlebars translation), Handlebars block syntax, and to reject the
/// Mustache features the product does not support (partials, delimiter changes, pragmas).
struct TemplateScanner {
    private let characters: [Character]
    private var index = 0
    private var line = 1
    private var column = 1
    private var tokens: [TemplateToken] = []
    private var pendingText = ""
    private var pendingTextStart = SourcePosition(line: 1, column: 1)

    private init(_ source: String) {
        self.characters = Array(source)
    }

    /// Tokenizes `source`; throws a `.syntax` error positioned at the offending tag.
    static func scan(_ source: String) throws(TemplateError) -> [TemplateToken] {
        var scanner = TemplateScanner(source)
        try scanner.run()
        return scanner.tokens
    }

    private var position: SourcePosition { SourcePosition(line: line, column: column) }

    private mutating func run() throws(TemplateError) {
        while index < characters.count {
            if matches("{{", at: index) {
                flushText()
                try scanTag()
            } else {
                let character = characters[index]
                if pendingText.isEmpty { pendingTextStart = position }
                pendingText.append(character)
                advance(by: 1)
                if Self.isLineBreak(character) { flushText() }
            }
        }
        flushText()
    }

    private mutating func flushText() {
        guard !pendingText.isEmpty else { return }
        tokens.append(TemplateToken(kind: .text(pendingText), position: pendingTextStart))
        pendingText = ""
    }

    private mutating func scanTag() throws(TemplateError) {
        let start = position
        let unterminated = TemplateError(.syntax, "unterminated tag '{{' (missing '}}')", at: start)
        if matches("{{!--", at: index) {
            guard let end = find("--}}", from: index + 5) else { throw unterminated }
            emit(.comment, at: start, consumingThrough: end + 4)
        } else if matches("{{!", at: index) {
            guard let end = find("}}", from: index + 3) else { throw unterminated }
            emit(.comment, at: start, consumingThrough: end + 2)
        } else if matches("{{{", at: index) {
            guard let end = find("}}}", from: index + 3) else {
                throw TemplateError(.syntax, "unterminated tag '{{{' (missing '}}}')", at: start)
            }
            let name = String(characters[(index + 3)..<end]).trimmingCharacters(in: .whitespacesAndNewlines)
            let path = try Self.path(name, at: start)
            emit(.variable(path, raw: true), at: start, consumingThrough: end + 3)
        } else {
            guard let end = find("}}", from: index + 2) else { throw unterminated }
            let content = String(characters[(index + 2)..<end])
            let kind = try Self.classify(content, at: start)
            emit(kind, at: start, consumingThrough: end + 2)
        }
    }

    private mutating func emit(_ kind: TemplateToken.Kind, at start: SourcePosition, consumingThrough end: Int) {
        tokens.append(TemplateToken(kind: kind, position: start))
        advance(by: end - index)
    }

    /// Decides what a `{{ … }}` tag is from its inner text.
    private static func classify(_ content: String, at start: SourcePosition) throws(TemplateError) -> TemplateToken.Kind {
        let trimmed = content.trimmingCharacters(in: .whitespacesAndNewlines)
        func fail(_ message: String) -> TemplateError { TemplateError(.syntax, message, at: start) }
        guard let first = trimmed.first else { throw fail("empty tag '{{}}'") }
        if first == "~" || trimmed.last == "~" {
            throw fail("whitespace control '~' is not supported in '{{\(trimmed)}}'")
        }
        let rest = String(trimmed.dropFirst()).trimmingCharacters(in: .whitespacesAndNewlines)
        let words = rest.split(whereSeparator: { $0.isWhitespace }).map(String.init)
        switch first {
        case "&":
            return .variable(try path(rest, at: start), raw: true)
        case "#":
            guard let helper = words.first else { throw fail("section tag '{{#}}' needs a name") }
            let kinds: [String: BlockKind] = ["if": .if, "unless": .unless, "each": .each]
            if let kind = kinds[helper] {
                guard words.count == 2 else { throw fail("'{{#\(helper)}}' takes exactly one variable") }
                return .open(kind, try path(words[1], at: start), closeName: helper)
            }
            guard words.count == 1 else {
                throw fail("block helper '\(helper)' is not supported (only if, unless, each)")
            }
            return .open(.section, try path(helper, at: start), closeName: helper)
        case "^":
            // Handlebars spells `{{else}}` as `{{^}}` too.
            if words.isEmpty { return .elseTag(elseIf: nil) }
            guard words.count == 1 else { throw fail("invalid inverted section '{{\(trimmed)}}'") }
            return .open(.inverted, try path(words[0], at: start), closeName: words[0])
        case "/":
            guard words.count == 1 else { throw fail("invalid closing tag '{{\(trimmed)}}'") }
            return .close(words[0])
        case ">", "<":
            throw fail("partials are not supported ('{{\(trimmed)}}')")
        case "$":
            throw fail("template inheritance blocks are not supported ('{{\(trimmed)}}')")
        case "=":
            throw fail("changing delimiters is not supported ('{{\(trimmed)}}')")
        case "%":
            throw fail("pragmas are not supported ('{{\(trimmed)}}')")
        default:
            let words = trimmed.split(whereSeparator: { $0.isWhitespace }).map(String.init)
            if words[0] == "else" {
                if words.count == 1 { return .elseTag(elseIf: nil) }
                if words.count == 3, words[1] == "if" {
                    return .elseTag(elseIf: try path(words[2], at: start))
                }
                throw fail("invalid '{{\(trimmed)}}' (expected '{{else}}' or '{{else if x}}')")
            }
            guard words.count == 1 else {
                throw fail("helpers with arguments are not supported ('{{\(trimmed)}}')")
            }
            return .variable(try path(trimmed, at: start), raw: false)
        }
    }

    private static func path(_ text: String, at start: SourcePosition) throws(TemplateError) -> VariablePath {
        switch VariablePath.parse(text) {
        case .success(let path): return path
        case .failure(let failure): throw TemplateError(.syntax, failure.message, at: start)
        }
    }

    private func matches(_ pattern: String, at offset: Int) -> Bool {
        var i = offset
        for character in pattern {
            guard i < characters.count, characters[i] == character else { return false }
            i += 1
        }
        return true
    }

    private func find(_ pattern: String, from offset: Int) -> Int? {
        var i = offset
        while i < characters.count {
            if matches(pattern, at: i) { return i }
            i += 1
        }
        return nil
    }

    private mutating func advance(by count: Int) {
        for _ in 0..<count {
            if Self.isLineBreak(characters[index]) {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
    }

    /// `\n` and `\r\n` (one Character in Swift) end a line; a lone `\r` does not, as in Mustache.
    static func isLineBreak(_ character: Character) -> Bool {
        character == "\n" || character == "\r\n"
    }
}
