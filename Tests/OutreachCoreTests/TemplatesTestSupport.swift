import OutreachCore
import OutreachCrypto

/// Parses and renders in one step, for tests.
func render(
    _ source: String, _ context: [String: TemplateValue] = [:], escaping: TemplateEscaping = .html
) throws -> String {
    try Template.parse(source).render(context, escaping: escaping)
}

/// Parses `source` expecting failure and returns the error (nil if it parsed).
func parseError(_ source: String) -> TemplateError? {
    do {
        _ = try Template.parse(source)
        return nil
    } catch {
        return error
    }
}

/// Validates `source` against `known` expecting failure and returns the error.
func validationError(_ source: String, known: Set<String> = ContactFields.known) throws -> TemplateError? {
    let template = try Template.parse(source)
    do {
        try template.validate(knownVariables: known)
        return nil
    } catch {
        return error
    }
}

