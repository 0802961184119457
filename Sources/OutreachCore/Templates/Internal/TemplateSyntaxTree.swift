/// A node of a parsed template, positions kept for validation.
indirect enum TemplateNode: Sendable {
    case text(String)
    case variable(VariablePath, raw: Bool, position: SourcePosition)
    case block(TemplateBlock)
}

/// A block (`if`, `unless`, `each`, Mustache section or inverted section) with its optional
/// `{{else}}` branch. `{{else if y}}` chains become a nested `if` block in `elseBody`.
struct TemplateBlock: Sendable {
    var kind: BlockKind
    var path: VariablePath
    var position: SourcePosition
    var body: [TemplateNode] = []
    var elseBody: [TemplateNode]?
}

/// Builds the block tree from tokens, enforcing that blocks are balanced.
enum TemplateSyntaxTree {
    static func build(_ tokens: [TemplateToken]) throws(TemplateError) -> [TemplateNode] {
        var builder = Builder()
        for token in removingStandaloneLines(tokens) {
            try builder.consume(token)
        }
        return try builder.finish()
    }

    /// Applies the Mustache spec's standalone rule: a line holding only whitespace and exactly one
    /// block/else/comment tag is removed entirely (indentation and line break included), so that
    /// block tags on their own lines don't leave blank lines in emails and chat messages.
    ///
    /// We do this ourselves, on the source as written, because one Handlebars tag can become
    /// several Mustache tags (`{{else}}` → `{{/x}}{{^x}}`), which swift-mustache would no longer
    /// see as standalone.
    static func removingStandaloneLines(_ tokens: [TemplateToken]) -> [TemplateToken] {
        var result: [TemplateToken] = []
        result.reserveCapacity(tokens.count)
        var line: [TemplateToken] = []

        func flushLine() {
            let tags = line.filter { !$0.isText }
            let onlyBlanks = line.allSatisfy { token in
                guard case .text(let text) = token.kind else { return true }
                return text.allSatisfy { $0 == " " || $0 == "\t" || TemplateScanner.isLineBreak($0) }
            }
            if tags.count == 1, tags[0].canStandAlone, onlyBlanks {
                result.append(tags[0])
            } else {
                result.append(contentsOf: line)
            }
            line.removeAll(keepingCapacity: true)
        }

        for token in tokens {
            line.append(token)
            if case .text(let text) = token.kind, let last = text.last, TemplateScanner.isLineBreak(last) {
                flushLine()
            }
        }
        flushLine()
        return result
    }

    private struct Frame {
        var block: TemplateBlock
        var closeName: String
        var opening: String
        var inElse = false
        /// Opened by `{{else if}}`: closed implicitly by the enclosing block's closing tag.
        var chained = false
    }

    private struct Builder {
        var root: [TemplateNode] = []
        var stack: [Frame] = []

        mutating func append(_ node: TemplateNode) {
            guard let top = stack.indices.last else {
                root.append(node)
                return
            }
            if stack[top].inElse {
                stack[top].block.elseBody!.append(node)
            } else {
                stack[top].block.body.append(node)
            }
        }

        mutating func consume(_ token: TemplateToken) throws(TemplateError) {
            switch token.kind {
            case .text(let text):
                append(.text(text))
            case .comment:
                break
            case .variable(let path, let raw):
                append(.variable(path, raw: raw, position: token.position))
            case .open(let kind, let path, let closeName):
                let opening = switch kind {
                case .if, .unless, .each: "{{#\(closeName) \(path.spelled)}}"
                case .section: "{{#\(closeName)}}"
                case .inverted: "{{^\(closeName)}}"
                }
                stack.append(Frame(
                    block: TemplateBlock(kind: kind, path: path, position: token.position),
                    closeName: closeName, opening: opening))
            case .elseTag(let elseIf):
                try startElse(elseIf: elseIf, at: token.position)
            case .close(let name):
                try close(name, at: token.position)
            }
        }

        private mutating func startElse(elseIf: VariablePath?, at position: SourcePosition) throws(TemplateError) {
            let tag = elseIf.map { "{{else if \($0.spelled)}}" } ?? "{{else}}"
            guard let top = stack.indices.last else {
                throw TemplateError(.unbalancedBlock, "'\(tag)' outside of any block", at: position)
            }
            guard !stack[top].inElse else {
                throw TemplateError(
                    .unbalancedBlock,
                    "second '{{else}}' in '\(stack[top].opening)' opened \(stack[top].block.position.phrase)",
                    at: position)
            }
            stack[top].inElse = true
            stack[top].block.elseBody = []
            if let elseIf {
                guard stack[top].block.kind == .if || stack[top].block.kind == .unless else {
                    throw TemplateError(.syntax, "'\(tag)' is only allowed in '{{#if}}' and '{{#unless}}' blocks", at: position)
                }
                stack.append(Frame(
                    block: TemplateBlock(kind: .if, path: elseIf, position: position),
                    closeName: stack[top].closeName, opening: tag, chained: true))
            }
        }

        private mutating func close(_ name: String, at position: SourcePosition) throws(TemplateError) {
            guard var frame = stack.popLast() else {
                throw TemplateError(.unbalancedBlock, "'{{/\(name)}}' closes no open block", at: position)
            }
            // Unwind `{{else if}}` links: each becomes the else branch of the block before it.
            while frame.chained {
                let block = frame.block
                frame = stack.removeLast()
                frame.block.elseBody!.append(.block(block))
            }
            guard frame.closeName == name else {
                throw TemplateError(
                    .unbalancedBlock,
                    "'{{/\(name)}}' does not close '\(frame.opening)' opened \(frame.block.position.phrase)",
                    at: position)
            }
            append(.block(frame.block))
        }

        func finish() throws(TemplateError) -> [TemplateNode] {
            // Report the innermost unclosed block the user actually opened (not an else-if link).
            if let frame = stack.last(where: { !$0.chained }) {
                throw TemplateError(
                    .unbalancedBlock,
                    "'\(frame.opening)' is never closed (missing '{{/\(frame.closeName)}}')",
                    at: frame.block.position)
            }
            return root
        }
    }
}

extension SourcePosition {
    /// `at line 2, column 5`, for messages that mention a second position.
    var phrase: String { "at line \(line), column \(column)" }
}

extension VariablePath {
    /// The path as a user would write it, for messages.
    var spelled: String {
        if isContextRelative {
            return segments.isEmpty ? "this" : "this." + segments.joined(separator: ".")
        }
        return segments.joined(separator: ".")
    }
}
