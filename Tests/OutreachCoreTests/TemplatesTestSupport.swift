import OutreachCore

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

/// Deterministic PRNG (SplitMix64) so property tests are reproducible from their seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
