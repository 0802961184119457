import OutreachCore
import Testing

/// Behaviour written from the Mustache spec's semantics (github.com/mustache/spec:
/// interpolation, sections, inverted, comments), run through our translation + swift-mustache.
@Suite("Templates: Mustache spec")
struct TemplatesMustacheSpecTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var template: String
        var data: [String: TemplateValue]
        var expected: String
        var testDescription: String { name }
    }

    static let interpolationCases: [Case] = [
        Case(name: "no interpolation", template: "Hello from {Mustache}!\n", data: [:], expected: "Hello from {Mustache}!\n"),
        Case(name: "basic", template: "Hello, {{subject}}!", data: ["subject": "world"], expected: "Hello, world!"),
        Case(name: "HTML escaping", template: "These: {{forbidden}}", data: ["forbidden": "& \" < >"],
             expected: "These: &amp; &quot; &lt; &gt;"),
        Case(name: "triple mustache", template: "These: {{{forbidden}}}", data: ["forbidden": "& \" < >"],
             expected: "These: & \" < >"),
        Case(name: "ampersand", template: "These: {{&forbidden}}", data: ["forbidden": "& \" < >"],
             expected: "These: & \" < >"),
        Case(name: "integer", template: "\"{{mph}} miles an hour!\"", data: ["mph": 85], expected: "\"85 miles an hour!\""),
        Case(name: "decimal", template: "{{power}} jiggawatts!", data: ["power": 1.210], expected: "1.21 jiggawatts!"),
        Case(name: "null", template: "I ({{cannot}}) be seen!", data: ["cannot": nil], expected: "I () be seen!"),
        Case(name: "context miss", template: "I ({{cannot}}) be seen!", data: [:], expected: "I () be seen!"),
        Case(name: "dotted names", template: "{{person.name}} == {{#person}}{{name}}{{/person}}",
             data: ["person": ["name": "Joe"]], expected: "Joe == Joe"),
        Case(name: "dotted arbitrary depth", template: "{{a.b.c.d.e.name}}",
             data: ["a": ["b": ["c": ["d": ["e": ["name": "Phil"]]]]]], expected: "Phil"),
        Case(name: "dotted broken chain", template: "{{a.b.c}}", data: ["a": [:]], expected: ""),
        Case(name: "dotted context precedence", template: "{{#a}}{{b.c}}{{/a}}",
             data: ["a": ["b": [:]], "b": ["c": "ERROR"]], expected: ""),
        Case(name: "surrounding whitespace", template: "| {{string}} |", data: ["string": "---"], expected: "| --- |"),
        Case(name: "standalone interpolation keeps line", template: "  {{string}}\n", data: ["string": "---"], expected: "  ---\n"),
        Case(name: "padding", template: "|{{ string }}|{{{ string }}}|{{& string }}|", data: ["string": "---"], expected: "|---|---|---|"),
    ]

    @Test("interpolation", arguments: interpolationCases)
    func interpolation(_ spec: Case) throws {
        #expect(try render(spec.template, spec.data) == spec.expected)
    }

    static let sectionsCases: [Case] = [
        Case(name: "truthy", template: "{{#boolean}}This should be rendered.{{/boolean}}", data: ["boolean": true],
             expected: "This should be rendered."),
        Case(name: "falsey", template: "{{#boolean}}This should not be rendered.{{/boolean}}", data: ["boolean": false], expected: ""),
        Case(name: "null is falsey", template: "{{#null}}This should not be rendered.{{/null}}", data: ["null": nil], expected: ""),
        Case(name: "context", template: "{{#context}}Hi {{name}}.{{/context}}", data: ["context": ["name": "Joe"]], expected: "Hi Joe."),
        Case(name: "list", template: "{{#list}}{{item}}{{/list}}",
             data: ["list": [["item": 1], ["item": 2], ["item": 3]]], expected: "123"),
        Case(name: "empty list", template: "{{#list}}Yay lists!{{/list}}", data: ["list": []], expected: ""),
        Case(name: "implicit iterator strings", template: "({{#list}}({{.}}){{/list}})", data: ["list": ["a", "b", "c"]],
             expected: "((a)(b)(c))"),
        Case(name: "implicit iterator numbers", template: "({{#list}}({{.}}){{/list}})", data: ["list": [1, 2, 3]],
             expected: "((1)(2)(3))"),
        Case(name: "nested truthy", template: "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", data: ["bool": true],
             expected: "| A B C D E |"),
        Case(name: "nested falsey", template: "| A {{#bool}}B {{#bool}}C{{/bool}} D{{/bool}} E |", data: ["bool": false],
             expected: "| A  E |"),
        Case(name: "deeply nested contexts", template: "{{#a}}{{one}}{{#b}}{{one}}{{two}}{{/b}}{{/a}}",
             data: ["a": ["one": 1], "b": ["two": 2]], expected: "112"),
        Case(name: "context misses", template: "[{{#missing}}Found key 'missing'!{{/missing}}]", data: [:], expected: "[]"),
        Case(name: "standalone lines", template: "| This Is\n{{#boolean}}\n|\n{{/boolean}}\n| A Line\n",
             data: ["boolean": true], expected: "| This Is\n|\n| A Line\n"),
        Case(name: "indented standalone lines", template: "| This Is\n  {{#boolean}}\n|\n  {{/boolean}}\n| A Line\n",
             data: ["boolean": true], expected: "| This Is\n|\n| A Line\n"),
        Case(name: "standalone CRLF", template: "|\r\n{{#boolean}}\r\n{{/boolean}}\r\n|", data: ["boolean": true], expected: "|\r\n|"),
        Case(name: "standalone without previous line", template: "  {{#boolean}}\n#{{/boolean}}\n/", data: ["boolean": true],
             expected: "#\n/"),
        Case(name: "standalone without newline", template: "#{{#boolean}}\n/\n  {{/boolean}}", data: ["boolean": true],
             expected: "#\n/\n"),
        Case(name: "indented inline sections", template: " {{#boolean}}YES{{/boolean}}\n {{#boolean}}GOOD{{/boolean}}\n",
             data: ["boolean": true], expected: " YES\n GOOD\n"),
        Case(name: "surrounding whitespace", template: " | {{#boolean}}\t|\t{{/boolean}} | \n", data: ["boolean": true],
             expected: " | \t|\t | \n"),
    ]

    @Test("sections", arguments: sectionsCases)
    func sections(_ spec: Case) throws {
        #expect(try render(spec.template, spec.data) == spec.expected)
    }

    static let invertedCases: [Case] = [
        Case(name: "falsey", template: "{{^boolean}}This should be rendered.{{/boolean}}", data: ["boolean": false],
             expected: "This should be rendered."),
        Case(name: "truthy", template: "{{^boolean}}This should not be rendered.{{/boolean}}", data: ["boolean": true], expected: ""),
        Case(name: "null is falsey", template: "{{^null}}yes{{/null}}", data: ["null": nil], expected: "yes"),
        Case(name: "context", template: "{{^context}}Hi {{name}}.{{/context}}", data: ["context": ["name": "Joe"]], expected: ""),
        Case(name: "list", template: "{{^list}}{{n}}{{/list}}", data: ["list": [["n": 1]]], expected: ""),
        Case(name: "empty list", template: "{{^list}}Yay lists!{{/list}}", data: ["list": []], expected: "Yay lists!"),
        Case(name: "missing", template: "[{{^missing}}Found key 'missing'!{{/missing}}]", data: [:],
             expected: "[Found key 'missing'!]"),
        Case(name: "standalone lines", template: "| This Is\n{{^boolean}}\n|\n{{/boolean}}\n| A Line\n",
             data: ["boolean": false], expected: "| This Is\n|\n| A Line\n"),
    ]

    @Test("inverted sections", arguments: invertedCases)
    func inverted(_ spec: Case) throws {
        #expect(try render(spec.template, spec.data) == spec.expected)
    }

    static let commentsCases: [Case] = [
        Case(name: "inline", template: "12345{{! Comment Block! }}67890", data: [:], expected: "1234567890"),
        Case(name: "multiline", template: "12345{{!\n  This is a\n  multi-line comment...\n}}67890\n", data: [:],
             expected: "1234567890\n"),
        Case(name: "standalone", template: "Begin.\n{{! Comment Block! }}\nEnd.\n", data: [:], expected: "Begin.\nEnd.\n"),
        Case(name: "indented standalone", template: "Begin.\n  {{! Indented Comment Block! }}\nEnd.\n", data: [:],
             expected: "Begin.\nEnd.\n"),
        Case(name: "multiline standalone", template: "Begin.\n{{!\nSomething's going on here...\n}}\nEnd.\n", data: [:],
             expected: "Begin.\nEnd.\n"),
        Case(name: "standalone without newline", template: "!\n  {{! I'm Still Standalone }}", data: [:], expected: "!\n"),
        Case(name: "indented inline", template: "  12 {{! 34 }}\n", data: [:], expected: "  12 \n"),
        Case(name: "surrounding whitespace", template: "12345 {{! Comment Block! }} 67890", data: [:], expected: "12345  67890"),
        Case(name: "handlebars long comment", template: "a{{!-- has }} inside --}}b", data: [:], expected: "ab"),
    ]

    @Test("comments", arguments: commentsCases)
    func comments(_ spec: Case) throws {
        #expect(try render(spec.template, spec.data) == spec.expected)
    }
}
