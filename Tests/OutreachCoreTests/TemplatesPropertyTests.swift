import OutreachCore
import OutreachCrypto
import Testing

@Suite("Templates: adversarial values")
struct TemplatesPropertyTests {
    static let alphabet: [String] = [
        "<", ">", "&", "\"", "'", ";", "#", "/", "b", "a", " ", "&amp;", "&lt;", "</b>", "<b>", "<a href=\"",
        "\u{301}", "é", "🇮🇹", "中", "\u{200D}", "\n", "{{", "}}", "x",
    ]

    static func randomName(_ rng: inout SplitMix64) -> String {
        let length = Int.random(in: 0...12, using: &rng)
        var name = ""
        for _ in 0..<length {
            if Int.random(in: 0..<4, using: &rng) == 0 {
                // Random scalars, including every ASCII punctuation and arbitrary BMP letters.
                let value = UInt32.random(in: 0x21...0x2FF, using: &rng)
                name.unicodeScalars.append(Unicode.Scalar(value)!)
            } else {
                name += alphabet.randomElement(using: &rng)!
            }
        }
        return name
    }

    @Test func telegramHTMLRenderingIsAlwaysWellFormed() throws {
        let template = try Template.parse(
            "<b>Ciao {{name}}</b>, <i>{{company}}</i> <a href=\"{{unsubscribe_url}}\">stop</a>{{#if vip}} <u>{{{name}}}</u>{{/if}}")
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<2_000 {
            let name = Self.randomName(&rng)
            let context: [String: TemplateValue] = [
                "name": .string(name), "company": .string(Self.randomName(&rng)),
                "unsubscribe_url": .string("https://x.test/u/" + Self.randomName(&rng)), "vip": true,
            ]
            let rendered = template.render(context, escaping: .telegramHTML)
            let (problem, text) = TelegramHTMLChecker.check(rendered)
            #expect(problem == nil, "name \(name.debugDescription) → \(rendered.debugDescription): \(problem ?? "")")
            // What the user sees is exactly the value, not markup it smuggled in.
            #expect(text.hasPrefix("Ciao \(name)"), "\(rendered.debugDescription)")
        }
    }

    @Test func markdownV2RenderingLeavesNoUnescapedSpecials() throws {
        let template = try Template.parse("{{name}}")
        let specials = Set("_*[]()~`>#+-=|{}.!\\".unicodeScalars)
        var rng = SplitMix64(seed: 42)
        for _ in 0..<1_000 {
            let name = Self.randomName(&rng)
            let scalars = Array(template.render(["name": .string(name)], escaping: .telegramMarkdownV2).unicodeScalars)
            var i = 0
            var unescaped: [Unicode.Scalar] = []
            while i < scalars.count {
                if scalars[i] == "\\" { unescaped.append(scalars[i + 1]); i += 2; continue }
                #expect(!specials.contains(scalars[i]), "\(name.debugDescription)")
                unescaped.append(scalars[i])
                i += 1
            }
            #expect(String(String.UnicodeScalarView(unescaped)) == name)
        }
    }

    @Test func checkerRejectsBrokenMarkup() {
        #expect(TelegramHTMLChecker.check("<b>x</i>").problem != nil)
        #expect(TelegramHTMLChecker.check("<b>x").problem != nil)
        #expect(TelegramHTMLChecker.check("<div>x</div>").problem != nil)
        #expect(TelegramHTMLChecker.check("a & b").problem != nil)
        #expect(TelegramHTMLChecker.check("a &nbsp; b").problem != nil)
        #expect(TelegramHTMLChecker.check("a > b").problem != nil)
        #expect(TelegramHTMLChecker.check("<a href=\"x\"y\">z</a>").problem != nil)
        #expect(TelegramHTMLChecker.check("<b>x &amp; <span class=\"tg-spoiler\">y</span> &#39;</b>").problem == nil)
    }
}
