import Foundation

/// A template as a user submits it, checked before anything is stored (SPEC §6): it must parse,
/// use only known variables, and never insert a raw value into email HTML.
public struct TemplateDraft: Sendable, Equatable {
    public var name: String
    public var channel: Channel
    public var subject: String?
    public var body: String
    /// Email only: an authored plain-text part; when nil it is derived from the HTML.
    public var textBody: String?

    public init(name: String, channel: Channel, subject: String?, body: String, textBody: String?) {
        self.name = name
        self.channel = channel
        self.subject = subject
        self.body = body
        self.textBody = textBody
    }

    /// The variables the template uses, sorted, after validating it against `knownVariables`.
    public func validate(knownVariables: Set<String>) throws(OutreachError) -> [String] {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 200 else { throw .badInput("template name must be 1 to 200 characters") }
        guard !body.isEmpty else { throw .badInput("template body is empty") }
        do {
            switch channel {
            case .email:
                guard let subject, !subject.isEmpty else { throw OutreachError.badInput("an email template needs --subject") }
                let email = try EmailTemplate(subject: subject, html: body, text: textBody)
                try email.validate(knownVariables: knownVariables)
                if let raw = email.html.unescapedVariables.sorted().first {
                    throw OutreachError.badInput(
                        "email html inserts '\(raw)' unescaped ({{{…}}} or {{& …}}); a contact's value could inject markup")
                }
                return email.variables.sorted()
            case .whatsapp, .telegram:
                if subject != nil { throw OutreachError.badInput("--subject applies to email templates only") }
                let parsed = try Template.parse(body)
                try parsed.validate(knownVariables: knownVariables)
                return parsed.variables.sorted()
            }
        } catch let error as TemplateError {
            throw .badInput("template '\(name)': \(error.description)")
        } catch let error as OutreachError {
            throw error
        } catch {
            throw .badInput("template '\(name)': \(error)")
        }
    }
}
