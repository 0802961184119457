import Foundation

/// An email template: a subject, an HTML body and an optional plain-text body.
///
/// When no text template is given the text part is derived from the *rendered* HTML (see
/// ``plainText(fromHTML:)``), because sending HTML-only mail hurts deliverability and
/// accessibility, and keeping two bodies in sync by hand is error-prone.
public struct EmailTemplate: Sendable {
    /// The subject template; rendered with ``TemplateEscaping/none`` and flattened to one line.
    public let subject: ParsedTemplate
    /// The HTML body template; rendered with ``TemplateEscaping/html``.
    public let html: ParsedTemplate
    /// The plain-text body template, if the author wrote one; rendered with
    /// ``TemplateEscaping/none``.
    public let text: ParsedTemplate?

    /// Parses all parts.
    ///
    /// - Throws: ``TemplateError`` whose ``TemplateError/part`` says which part (`subject`,
    ///   `html` or `text`) is at fault.
    public init(subject: String, html: String, text: String? = nil) throws(TemplateError) {
        self.subject = try Self.parse(subject, part: "subject")
        self.html = try Self.parse(html, part: "html")
        self.text = try text.map { source throws(TemplateError) in try Self.parse(source, part: "text") }
    }

    /// Every top-level variable any part uses (see ``ParsedTemplate/variables``).
    public var variables: Set<String> {
        subject.variables.union(html.variables).union(text?.variables ?? [])
    }

    /// Validates every part against `knownVariables`; the error names the part.
    public func validate(knownVariables: Set<String>) throws(TemplateError) {
        for (part, template) in [("subject", subject), ("html", html), ("text", text)] {
            guard let template else { continue }
            do {
                try template.validate(knownVariables: knownVariables)
            } catch {
                var error = error
                error.part = part
                throw error
            }
        }
    }

    /// Renders subject, HTML and text for one recipient.
    public func render(_ context: [String: TemplateValue]) -> RenderedEmail {
        let renderedHTML = html.render(context, escaping: .html)
        let renderedText = text?.render(context, escaping: .none) ?? Self.plainText(fromHTML: renderedHTML)
        return RenderedEmail(
            subject: Self.headerSafe(subject.render(context, escaping: .none)),
            html: renderedHTML,
            text: renderedText)
    }

    /// Flattens a rendered subject to one line: every line break (CR, LF, and the Unicode line
    /// separators) becomes a space, so a contact's data can never start a new header line.
    public static func headerSafe(_ subject: String) -> String {
        var result = ""
        var lastWasBreak = false
        for scalar in subject.unicodeScalars {
            switch scalar {
            case "\r", "\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}":
                if !lastWasBreak { result.unicodeScalars.append(" ") }
                lastWasBreak = true
            default:
                result.unicodeScalars.append(scalar)
                lastWasBreak = false
            }
        }
        return result.trimmingSpaces()
    }

    /// Derives a readable plain-text version of an HTML email body.
    ///
    /// Tags are removed (and `<head>`, `<style>`, `<script>` with their content), `<br>` and the
    /// end of `</p>`, `</div>`, headings, rows and list items become line breaks, `<li>` starts a
    /// `- ` item, links become `text (url)`, the common entities are decoded, and whitespace is
    /// collapsed as a browser would.
    public static func plainText(fromHTML html: String) -> String {
        HTMLTextExtractor.extract(html)
    }

    private static func parse(_ source: String, part: String) throws(TemplateError) -> ParsedTemplate {
        do {
            return try Template.parse(source)
        } catch {
            var error = error
            error.part = part
            throw error
        }
    }
}

/// The three parts of an email, rendered for one recipient.
public struct RenderedEmail: Sendable, Hashable {
    /// Single-line subject, safe as a header value.
    public var subject: String
    /// HTML body with values HTML-escaped.
    public var html: String
    /// Plain-text body (authored or derived from the HTML).
    public var text: String

    /// Creates a rendered email.
    public init(subject: String, html: String, text: String) {
        self.subject = subject
        self.html = html
        self.text = text
    }
}
