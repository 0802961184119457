import OutreachCore
import Testing

@Suite("Templates: Handlebars helpers")
struct TemplatesHandlebarsTests {
    @Test func ifElseChoosesBranch() throws {
        let template = try Template.parse("{{#if company}}at {{company}}{{else}}independent{{/if}}")
        #expect(template.render(["company": "Acme"], escaping: .none) == "at Acme")
        #expect(template.render([:], escaping: .none) == "independent")
    }

    @Test("if uses Handlebars truthiness", arguments: [
        ("missing", nil as TemplateValue?, false),
        ("false", false, false), ("null", .null, false), ("empty string", "", false), ("zero", 0, false),
        ("empty list", [], false), ("true", true, true), ("text", "x", true), ("string zero", "0", true),
        ("one", 1, true), ("non-empty list", [1, 2], true), ("empty dictionary", [:], true),
    ] as [(String, TemplateValue?, Bool)])
    func truthiness(_ name: String, _ value: TemplateValue?, _ truthy: Bool) throws {
        let context: [String: TemplateValue] = value.map { ["x": $0] } ?? [:]
        #expect(try render("{{#if x}}T{{else}}F{{/if}}", context) == (truthy ? "T" : "F"))
        #expect(try render("{{#unless x}}F{{else}}T{{/unless}}", context) == (truthy ? "T" : "F"))
    }

    @Test func ifOnNonEmptyListDoesNotIterate() throws {
        #expect(try render("{{#if tags}}[{{tags}}]{{/if}}", ["tags": ["a", "b", "c"]]) == "[a,b,c]")
    }

    @Test func unlessWithoutElse() throws {
        #expect(try render("{{#unless phone}}no phone{{/unless}}", [:]) == "no phone")
        #expect(try render("{{#unless phone}}no phone{{/unless}}", ["phone": "+39"]) == "")
    }

    @Test func eachWithThis() throws {
        #expect(try render("{{#each tags}}<{{this}}>{{/each}}", ["tags": ["a&b", "c"]]) == "<a&amp;b><c>")
    }

    @Test func eachOverObjectsWithThisFields() throws {
        let context: [String: TemplateValue] = ["orders": [["id": 1, "total": 9.5], ["id": 2, "total": 20]]]
        #expect(try render("{{#each orders}}#{{this.id}}={{this.total}};{{/each}}", context) == "#1=9.5;#2=20;")
    }

    @Test func eachElseAndNonLists() throws {
        let source = "{{#each xs}}{{this}}{{else}}none{{/each}}"
        #expect(try render(source, ["xs": []]) == "none")
        #expect(try render(source, [:]) == "none")
        #expect(try render(source, ["xs": "text"]) == "none")
        #expect(try render(source, ["xs": ["b": 2, "a": 1]]) == "12")
    }

    @Test func topLevelNamesVisibleInsideEach() throws {
        #expect(try render("{{#each xs}}{{this}}@{{company}} {{/each}}", ["xs": ["a", "b"], "company": "Acme"])
            == "a@Acme b@Acme ")
    }

    @Test func ifInsideEach() throws {
        let context: [String: TemplateValue] = [
            "people": [["name": "Ana", "vip": true], ["name": "Bob", "vip": false], ["name": "Cy"]],
        ]
        #expect(try render("{{#each people}}{{#if this.vip}}*{{/if}}{{this.name}} {{/each}}", context) == "*Ana Bob Cy ")
        #expect(try render("{{#each xs}}{{#if this}}[{{this}}]{{else}}-{{/if}}{{/each}}", ["xs": ["a", "", 0, "b"]])
            == "[a]--[b]")
    }

    @Test("else inside nested ifs", arguments: [(true, true, "AB"), (true, false, "A!B"), (false, true, "!A"), (false, false, "!A")])
    func nestedElse(_ a: Bool, _ b: Bool, _ expected: String) throws {
        let source = "{{#if a}}{{#if b}}AB{{else}}A!B{{/if}}{{else}}!A{{/if}}"
        #expect(try render(source, ["a": .bool(a), "b": .bool(b)]) == expected)
    }

    @Test func elseIfChain() throws {
        let source = "{{#if a}}A{{else if b}}B{{else if c}}C{{else}}none{{/if}}"
        #expect(try render(source, ["a": 1, "b": 1]) == "A")
        #expect(try render(source, ["b": 1, "c": 1]) == "B")
        #expect(try render(source, ["c": 1]) == "C")
        #expect(try render(source, [:]) == "none")
    }

    @Test func standaloneHelperLinesLeaveNoBlankLines() throws {
        let source = "Hi\n{{#if vip}}\n  VIP\n{{else}}\n  Regular\n{{/if}}\nBye\n"
        #expect(try render(source, ["vip": true]) == "Hi\n  VIP\nBye\n")
        #expect(try render(source, ["vip": false]) == "Hi\n  Regular\nBye\n")
    }

    @Test func blankLinesNextToStandaloneTagsSurvive() throws {
        let source = "{{#if a}}\n\ntext\n{{/if}}\n\nend"
        #expect(try render(source, ["a": true]) == "\ntext\n\nend")
        #expect(try render("{{#each xs}}\n\n{{/each}}", ["xs": [1, 2]]) == "\n\n")
    }

    @Test func translationIsMustache() throws {
        let template = try Template.parse("{{#if a}}x{{else}}y{{/if}}{{#each xs}}{{this}}{{/each}}")
        #expect(template.mustacheSource
            == "{{!}}{{#a.__truthy}}x{{/a.__truthy}}{{^a.__truthy}}y{{/a.__truthy}}{{#xs.__each}}{{&.}}{{/xs.__each}}")
    }
}
