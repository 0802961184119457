import Mustache

/// Entry point for parsing message templates.
///
/// Templates are Mustache plus the Handlebars block helpers existing templates use:
/// `{{#if x}}…{{else if y}}…{{else}}…{{/if}}`, `{{#unless x}}…{{/unless}}` and
/// `{{#each xs}}…{{this}}…{{/each}}`. Supported tags: `{{x}}`, `{{{x}}}`, `{{& x}}`,
/// `{{! comment }}`, `{{!-- comment --}}`, Mustache sections `{{#x}}`/`{{^x}}`, and the helpers
/// above. Partials, delimiter changes, pragmas and helpers with arguments are rejected so that
/// everything a template can do is something we validate.
public enum Template {
    /// Parses `source`, checking syntax and block balance, and prepares it for rendering.
    ///
    /// - Throws: ``TemplateError`` with code `.syntax` or `.unbalancedBlock`, positioned at the
    ///   offending tag in `source`.
    public static func parse(_ source: String) throws(TemplateError) -> ParsedTemplate {
        let tokens = try TemplateScanner.scan(source)
        let nodes = try TemplateSyntaxTree.build(tokens)
        let mustacheSource = MustacheTranslator.translate(nodes)
        let compiled: MustacheTemplate
        do {
            compiled = try MustacheTemplate(string: mustacheSource)
        } catch {
            // Unreachable by construction: we only emit tags swift-mustache accepts. Kept as an
            // error (not a crash) because a template is user input.
            throw TemplateError(.syntax, "template could not be compiled: \(error)", at: SourcePosition(line: 1, column: 1))
        }
        return ParsedTemplate(
            source: source,
            mustacheSource: mustacheSource,
            compiled: compiled,
            uses: VariableUse.collect(nodes))
    }
}
