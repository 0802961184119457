/// Turns the block tree into Mustache source for swift-mustache.
///
/// Handlebars helpers become Mustache sections over *computed keys* that the render boxes
/// (`RenderBox.swift`) answer, so Handlebars semantics survive the translation:
///
/// | source                          | Mustache                                              |
/// |---------------------------------|-------------------------------------------------------|
/// | `{{#if x}}A{{else}}B{{/if}}`    | `{{#x.__truthy}}A{{/x.__truthy}}{{^x.__truthy}}B{{/x.__truthy}}` |
/// | `{{#unless x}}A{{/unless}}`     | `{{^x.__truthy}}A{{/x.__truthy}}`                     |
/// | `{{#each xs}}{{this}}{{/each}}` | `{{#xs.__each}}{{&.}}{{/xs.__each}}`                  |
/// | `{{x}}` / `{{{x}}}`             | `{{&x}}` / `{{&x.__raw}}`                             |
///
/// `__truthy` is a Bool (Handlebars truthiness: a non-empty list is just *true*, not iterated),
/// `__each` is always a list, so `#each` over a string renders nothing instead of once. Every
/// interpolation is emitted unescaped (`{{& }}`) because the boxes already escape for the
/// channel — that is how one translation serves every ``TemplateEscaping``.
///
/// swift-mustache applies the standalone-line rule again; we already applied it to the source
/// (`TemplateSyntaxTree.removingStandaloneLines`), so a section tag that lands first on an output
/// line is prefixed with an empty comment `{{!}}`, which can never make a tag standalone.
struct MustacheTranslator {
    private var output = ""
    /// True while the current output line holds only spaces/tabs and no tag yet — the only
    /// state in which swift-mustache could consider the next tag standalone.
    private var lineIsBlank = true
    /// Whether literal markup has an unclosed `<tag` at this point, i.e. an interpolation here
    /// lands inside an attribute.
    private var insideMarkupTag = false

    static func translate(_ nodes: [TemplateNode]) -> String {
        var translator = MustacheTranslator()
        translator.emit(nodes)
        return translator.output
    }

    private mutating func emit(_ nodes: [TemplateNode]) {
        for node in nodes { emit(node) }
    }

    private mutating func emit(_ node: TemplateNode) {
        switch node {
        case .text(let text):
            emitText(text)
        case .variable(let path, let raw, _):
            let name: String
            if raw {
                name = path.mustacheName(computed: RenderKey.raw)
            } else if insideMarkupTag {
                name = path.mustacheName(computed: RenderKey.attribute)
            } else {
                name = path.mustacheName
            }
            output += "{{&\(name)}}"
            lineIsBlank = false
        case .block(let block):
            emit(block)
        }
    }

    private mutating func emit(_ block: TemplateBlock) {
        let key: String
        let positive: Bool
        switch block.kind {
        case .if: (key, positive) = (block.path.mustacheName(computed: RenderKey.truthy), true)
        case .unless: (key, positive) = (block.path.mustacheName(computed: RenderKey.truthy), false)
        case .each: (key, positive) = (block.path.mustacheName(computed: RenderKey.each), true)
        case .section: (key, positive) = (block.path.mustacheName, true)
        case .inverted: (key, positive) = (block.path.mustacheName, false)
        }
        emitSection(positive ? "#" : "^", key, block.body)
        if let elseBody = block.elseBody {
            emitSection(positive ? "^" : "#", key, elseBody)
        }
    }

    private mutating func emitSection(_ sigil: String, _ key: String, _ body: [TemplateNode]) {
        emitTag("{{\(sigil)\(key)}}")
        emit(body)
        emitTag("{{/\(key)}}")
    }

    private mutating func emitTag(_ tag: String) {
        if lineIsBlank { output += "{{!}}" }
        output += tag
        lineIsBlank = false
    }

    private mutating func emitText(_ text: String) {
        output += text
        for character in text {
            if TemplateScanner.isLineBreak(character) {
                lineIsBlank = true
            } else if character != " " && character != "\t" {
                lineIsBlank = false
            }
            if character == "<" {
                insideMarkupTag = true
            } else if character == ">" {
                insideMarkupTag = false
            }
        }
    }
}

/// The computed keys the render boxes answer; `__` names are reserved in templates.
enum RenderKey {
    static let truthy = "__truthy"
    static let each = "__each"
    static let raw = "__raw"
    static let attribute = "__attr"
}
