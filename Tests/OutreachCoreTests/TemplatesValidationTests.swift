import OutreachCore
import Testing

@Suite("Templates: parse errors and validation")
struct TemplatesValidationTests {
    @Test func unknownVariableDescription() throws {
        let error = try #require(try validationError("Dear Ana, {{favourite_colour_zz}}"))
        #expect(error.code == .unknownVariable)
        #expect(error.description == "unknown variable 'favourite_colour_zz' at line 1, column 11")
    }

    @Test func unknownVariableOnSecondLine() throws {
        let source = "Hi {{first_name}},\nyour colour is {{favourite_colour_zz}}!"
        let error = try #require(try validationError(source))
        #expect(error.code == .unknownVariable)
        #expect((error.line, error.column) == (2, 16))
        #expect(error.message == "unknown variable 'favourite_colour_zz'")
    }

    @Test func unknownVariableInsideIfBlock() throws {
        let source = "{{#if company}}\n  Hello {{compnay}}\n{{/if}}"
        let error = try #require(try validationError(source))
        #expect(error.message == "unknown variable 'compnay'")
        #expect((error.line, error.column) == (2, 9))
    }

    @Test func unknownConditionVariable() throws {
        let error = try #require(try validationError("x\n  {{#unless vip}}y{{/unless}}"))
        #expect(error.message == "unknown variable 'vip'")
        #expect((error.line, error.column) == (2, 3))
    }

    @Test func eachItemReferencesAreNotVariables() throws {
        let template = try Template.parse("{{#each orders}}{{this}} {{this.id}} {{.}} {{name}}{{/each}}")
        #expect(template.variables == ["orders", "name"])
        try template.validate(knownVariables: ["orders", "name"])
    }

    @Test func variablesUseFirstSegmentOfDottedPaths() throws {
        let template = try Template.parse("{{address.city}} {{#if vip}}{{{signature}}}{{/if}}{{! {{ignored}} }}")
        #expect(template.variables == ["address", "vip", "signature"])
        #expect(template.unescapedVariables == ["signature"])
        try template.validate(knownVariables: ContactFields.known(withAttributes: ["address", "vip", "signature"]))
    }

    @Test func knownContactFields() {
        #expect(ContactFields.known.count == 13)
        #expect(ContactFields.known.isSuperset(of: ["name", "first_name", "unsubscribe_url", "workspace_name"]))
        #expect(ContactFields.known(withAttributes: ["plan"]).contains("plan"))
    }

    @Test func unclosedIf() throws {
        let error = try #require(parseError("Hello\n  {{#if a}}x"))
        #expect(error.code == .unbalancedBlock)
        #expect((error.line, error.column) == (2, 3))
        #expect(error.message.contains("{{#if a}}"))
        #expect(error.message.contains("{{/if}}"))
    }

    @Test func closingTagOfWrongKind() throws {
        let error = try #require(parseError("{{#if a}}\nx {{/each}}"))
        #expect(error.code == .unbalancedBlock)
        #expect((error.line, error.column) == (2, 3))
        #expect(error.description == "'{{/each}}' does not close '{{#if a}}' opened at line 1, column 1 at line 2, column 3")
    }

    @Test func mismatchedMustacheSection() throws {
        let error = try #require(parseError("{{#a}}{{/b}}"))
        #expect(error.code == .unbalancedBlock)
        #expect((error.line, error.column) == (1, 7))
    }

    @Test func strayElse() throws {
        let error = try #require(parseError("a\n{{else}}"))
        #expect(error.code == .unbalancedBlock)
        #expect((error.line, error.column) == (2, 1))
    }

    @Test func secondElse() throws {
        let error = try #require(parseError("{{#if a}}1{{else}}2{{else}}3{{/if}}"))
        #expect(error.code == .unbalancedBlock)
        #expect((error.line, error.column) == (1, 20))
    }

    @Test func closeWithoutOpen() throws {
        let error = try #require(parseError("x{{/if}}"))
        #expect(error.code == .unbalancedBlock)
        #expect((error.line, error.column) == (1, 2))
    }

    @Test func unterminatedTag() throws {
        let error = try #require(parseError("Hi\nthere {{name"))
        #expect(error.code == .syntax)
        #expect((error.line, error.column) == (2, 7))
        let triple = try #require(parseError("{{{name}}"))
        #expect(triple.code == .syntax)
    }

    @Test("unsupported or invalid syntax", arguments: [
        "{{> partial}}", "{{=<% %>=}}", "{{%PRAGMA}}", "{{$block}}{{/block}}", "{{__truthy}}",
        "{{#if}}{{/if}}", "{{#if a b}}{{/if}}", "{{#with a}}{{/with}}", "{{lookup a b}}", "{{}}",
        "{{../name}}", "{{@index}}", "{{na me}}", "{{a..b}}", "{{~name}}", "{{else unless x}}",
    ])
    func syntaxErrors(_ source: String) throws {
        let error = try #require(parseError(source))
        #expect(error.code == .syntax, "\(error)")
        #expect((error.line, error.column) == (1, 1))
    }

    @Test func positionsCountCharactersNotBytes() throws {
        let error = try #require(try validationError("Ciao Niccolò 🇮🇹 {{zz}}"))
        #expect((error.line, error.column) == (1, 16))
    }

    @Test func emailErrorsNameThePart() throws {
        do {
            _ = try EmailTemplate(subject: "Hi", html: "<p>{{#if a}}</p>")
            Issue.record("expected an error")
        } catch {
            #expect(error.part == "html")
            #expect(error.description.hasPrefix("html: "))
        }
        let email = try EmailTemplate(subject: "Hi {{nmae}}", html: "<p>{{name}}</p>")
        #expect(email.variables == ["nmae", "name"])
        #expect(throws: TemplateError.self) { try email.validate(knownVariables: ContactFields.known) }
    }
}
