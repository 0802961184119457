import OutreachCore
import Testing

@Suite("Templates: escaping per channel")
struct TemplatesEscapingTests {
    static let name: TemplateValue = "<b>Ana & \"Bob\"</b>"

    @Test func emailHTML() throws {
        #expect(try render("{{name}}", ["name": Self.name], escaping: .html)
            == "&lt;b&gt;Ana &amp; &quot;Bob&quot;&lt;/b&gt;")
        #expect(try render("{{name}}", ["name": "O'Neil"], escaping: .html) == "O&#39;Neil")
    }

    @Test func whatsAppAndEmailTextAreVerbatim() throws {
        #expect(try render("{{name}}", ["name": Self.name], escaping: .none) == "<b>Ana & \"Bob\"</b>")
    }

    @Test func telegramHTML() throws {
        #expect(try render("{{name}}", ["name": Self.name], escaping: .telegramHTML)
            == "&lt;b&gt;Ana &amp; \"Bob\"&lt;/b&gt;")
    }

    @Test func literalMarkupIsNeverEscaped() throws {
        let source = "<b>Ciao</b> {{name}} <i>&amp;</i>"
        #expect(try render(source, ["name": "<x>"], escaping: .telegramHTML) == "<b>Ciao</b> &lt;x&gt; <i>&amp;</i>")
        #expect(try render(source, ["name": "<x>"], escaping: .html) == "<b>Ciao</b> &lt;x&gt; <i>&amp;</i>")
    }

    @Test func markdownV2EscapesEverySpecialCharacter() throws {
        let specials = "_*[]()~`>#+-=|{}.!\\"
        let expected = specials.map { "\\\($0)" }.joined()
        #expect(try render("*{{v}}*", ["v": .string(specials)], escaping: .telegramMarkdownV2) == "*\(expected)*")
        #expect(try render("{{v}}", ["v": "Ciao, Ana! 1.5"], escaping: .telegramMarkdownV2) == "Ciao, Ana\\! 1\\.5")
    }

    @Test("Telegram ignores triple-stash", arguments: [TemplateEscaping.telegramHTML, .telegramMarkdownV2])
    func telegramAlwaysEscapes(_ escaping: TemplateEscaping) throws {
        let escaped = try render("{{v}}", ["v": "<i>_x_</i>"], escaping: escaping)
        #expect(try render("{{{v}}}", ["v": "<i>_x_</i>"], escaping: escaping) == escaped)
        #expect(try render("{{& v}}", ["v": "<i>_x_</i>"], escaping: escaping) == escaped)
        #expect(!escaping.allowsUnescapedValues)
    }

    @Test func telegramAttributeValuesEscapeQuotes() throws {
        let source = "<a href=\"{{url}}\">{{label}}</a>"
        let out = try render(source, ["url": "https://x.test/?a=\"><b>", "label": "\"hi\""], escaping: .telegramHTML)
        #expect(out == "<a href=\"https://x.test/?a=&quot;&gt;&lt;b&gt;\">\"hi\"</a>")
    }

    @Test func combiningMarksCannotHideMarkup() throws {
        let out = try render("{{v}}", ["v": "<\u{301}b>"], escaping: .telegramHTML)
        #expect(!out.unicodeScalars.contains("<"))
    }

    @Test func numbersAndBools() throws {
        #expect(try render("{{a}} {{b}} {{c}} {{d}}", ["a": 3, "b": 2.5, "c": true, "d": -0.0], escaping: .none) == "3 2.5 true 0")
    }
}
