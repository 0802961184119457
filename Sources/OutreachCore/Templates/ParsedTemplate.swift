import Mustache

/// A template that parsed successfully: what it uses, and how to render it.
///
/// Values are immutable and `Sendable`; parse once when a template is saved or loaded, then
/// render it for every contact.
public struct ParsedTemplate: Sendable {
    /// The source as the user wrote it.
    public let source: String
    /// The equivalent Mustache source handed to swift-mustache (for debugging and support).
    public let mustacheSource: String
    let compiled: MustacheTemplate
    let uses: [VariableUse]

    /// The top-level variable names the template reads, in any block.
    ///
    /// A dotted path contributes its first segment (`{{address.city}}` → `address`), because
    /// what a workspace knows are contact fields and attribute keys, not their inner shape.
    /// References to the current `each` item (`this`, `.`, `this.title`) are not top-level and
    /// are excluded. Inside blocks a plain name is still a top-level variable (Mustache looks it
    /// up the context stack), so write item fields as `this.field`.
    public var variables: Set<String> { Set(uses.compactMap(\.rootName)) }

    /// Top-level variables interpolated with `{{{x}}}` or `{{& x}}`. In email HTML these insert
    /// raw markup, so a caller may refuse them for untrusted contact data.
    public var unescapedVariables: Set<String> {
        Set(uses.filter(\.raw).compactMap(\.rootName))
    }

    /// Checks that every variable the template uses is in `knownVariables` (see
    /// ``ContactFields/known(withAttributes:)``).
    ///
    /// - Throws: ``TemplateError`` with code `.unknownVariable` for the first unknown variable
    ///   in source order, positioned at its tag, e.g.
    ///   `unknown variable 'favourite_colour_zz' at line 1, column 11`.
    public func validate(knownVariables: Set<String>) throws(TemplateError) {
        for use in uses {
            guard let root = use.rootName, !knownVariables.contains(root) else { continue }
            throw TemplateError(.unknownVariable, "unknown variable '\(root)'", at: use.position)
        }
    }

    /// Renders the template, escaping interpolated values for the destination channel.
    ///
    /// Missing variables render as the empty string and are falsy (validation at save time is
    /// what catches typos; rendering never fails).
    public func render(_ context: [String: TemplateValue], escaping: TemplateEscaping) -> String {
        compiled.render(ValueBox(value: .dictionary(context), escaping: escaping))
    }
}

/// One place a template reads a variable.
struct VariableUse: Sendable, Hashable {
    var path: VariablePath
    var position: SourcePosition
    var raw: Bool

    var rootName: String? { path.rootName }

    /// All uses in source order, including the variables blocks test or iterate.
    static func collect(_ nodes: [TemplateNode]) -> [VariableUse] {
        var uses: [VariableUse] = []
        func walk(_ nodes: [TemplateNode]) {
            for node in nodes {
                switch node {
                case .text:
                    break
                case .variable(let path, let raw, let position):
                    uses.append(VariableUse(path: path, position: position, raw: raw))
                case .block(let block):
                    uses.append(VariableUse(path: block.path, position: block.position, raw: false))
                    walk(block.body)
                    walk(block.elseBody ?? [])
                }
            }
        }
        walk(nodes)
        return uses
    }
}
