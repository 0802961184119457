/// The kinds of block a template can open.
enum BlockKind: Sendable, Hashable {
    /// Handlebars `{{#if x}}`: Handlebars truthiness, no context change.
    case `if`
    /// Handlebars `{{#unless x}}`: the negation of `if`.
    case unless
    /// Handlebars `{{#each xs}}`: iterates a list (or a dictionary's values), item is `this`.
    case each
    /// Mustache `{{#x}}`: false/empty skips, a list iterates, anything else becomes the context.
    case section
    /// Mustache `{{^x}}`: rendered when `x` is missing, false, null or an empty list.
    case inverted

    /// The Handlebars helper name that opens and closes the block, if it is a helper.
    var helperName: String? {
        switch self {
        case .if: "if"
        case .unless: "unless"
        case .each: "each"
        case .section, .inverted: nil
        }
    }
}

/// One lexical element of a template source, with where it starts.
struct TemplateToken: Sendable {
    enum Kind: Sendable {
        /// Literal text; a text token never spans a newline (it ends right after one), which is
        /// what the standalone-line pass relies on.
        case text(String)
        /// `{{! … }}` or `{{!-- … --}}`.
        case comment
        /// `{{x}}` (raw: false) or `{{{x}}}` / `{{& x}}` (raw: true).
        case variable(VariablePath, raw: Bool)
        /// A block opener; `closeName` is what its `{{/…}}` must say.
        case open(BlockKind, VariablePath, closeName: String)
        /// `{{else}}` / `{{^}}`, or `{{else if x}}` when `elseIf` is set.
        case elseTag(elseIf: VariablePath?)
        /// `{{/name}}`.
        case close(String)
    }

    var kind: Kind
    var position: SourcePosition

    /// Whether the tag may be "standalone": alone on its line, in which case the whole line
    /// (indentation and newline) disappears from the output, as Mustache and Handlebars both do
    /// for block and comment tags.
    var canStandAlone: Bool {
        switch kind {
        case .comment, .open, .elseTag, .close: true
        case .text, .variable: false
        }
    }

    var isText: Bool {
        if case .text = kind { return true }
        return false
    }
}
