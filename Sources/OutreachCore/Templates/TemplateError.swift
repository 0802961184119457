/// Why a template could not be parsed or failed validation.
///
/// Like Hummingbird's `HTTPError`, the error is a plain value: a stable machine-readable ``code``
/// plus a human ``message`` and the 1-based position in the template source *as the user wrote
/// it* (before any Handlebars → Mustache translation), so a UI or CLI can point at the culprit.
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable category of a ``TemplateError``; compare against the static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The wire name of the code, e.g. `unknown_variable`.
        public let rawValue: String

        /// Creates a code from its wire name.
        public init(_ rawValue: String) { self.rawValue = rawValue }

        /// The template uses a variable that is neither a contact field nor a known attribute.
        public static let unknownVariable = Code("unknown_variable")
        /// A block is opened but never closed, closed by the wrong tag, or an `{{else}}` is stray.
        public static let unbalancedBlock = Code("unbalanced_block")
        /// Malformed or unsupported tag syntax (unterminated `{{`, bad names, partials, …).
        public static let syntax = Code("syntax")

        public var description: String { rawValue }
    }

    /// What went wrong, as a stable category.
    public let code: Code
    /// Human-readable explanation without the position, e.g. `unknown variable 'x'`.
    public let message: String
    /// 1-based line of the offending tag in the original source.
    public let line: Int
    /// 1-based column (in characters) of the offending tag's opening `{{`.
    public let column: Int
    /// Which part of a multi-part template the error is in (`subject`, `html`, `text`), if any.
    public var part: String?

    /// Creates an error; positions are 1-based.
    public init(code: Code, message: String, line: Int, column: Int, part: String? = nil) {
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.part = part
    }

    init(_ code: Code, _ message: String, at position: SourcePosition) {
        self.init(code: code, message: message, line: position.line, column: position.column)
    }

    /// `unknown variable 'favourite_colour_zz' at line 1, column 11` (prefixed with the part,
    /// e.g. `html: …`, when the error belongs to one part of an email).
    public var description: String {
        let located = "\(message) at line \(line), column \(column)"
        guard let part else { return located }
        return "\(part): \(located)"
    }
}

/// A 1-based line and column in a template's original source.
struct SourcePosition: Sendable, Hashable {
    var line: Int
    var column: Int
}
