import Foundation
import OutreachCore
import Testing

@Suite("Templates: email")
struct TemplatesEmailTests {
    @Test func subjectCannotInjectHeaders() throws {
        let email = try EmailTemplate(subject: "Hi {{name}} & co", html: "<p>x</p>")
        let rendered = email.render(["name": "Ana\r\nBcc: evil@example.test\n\u{2028}X"])
        #expect(!rendered.subject.contains("\r") && !rendered.subject.contains("\n"))
        #expect(!rendered.subject.unicodeScalars.contains("\u{2028}"))
        #expect(rendered.subject == "Hi Ana Bcc: evil@example.test X & co")
    }

    @Test func htmlIsEscapedAndTextDerived() throws {
        let email = try EmailTemplate(
            subject: "Hello {{first_name}}",
            html: """
                <html><head><title>T</title><style>p { color: red; }</style></head><body>
                <p>Hi {{name}},</p>
                <p>Visit <a href="{{unsubscribe_url}}">our   site</a><br>Thanks &amp; bye</p>
                <ul><li>One</li><li>Two</li></ul><div>Team&nbsp;{{company}}</div>
                </body></html>
                """)
        let rendered = email.render([
            "first_name": "Ana", "name": "<Ana>", "company": "R&D",
            "unsubscribe_url": "https://x.test/u?a=1&b=2",
        ])
        #expect(rendered.subject == "Hello Ana")
        #expect(rendered.html.contains("<p>Hi &lt;Ana&gt;,</p>"))
        #expect(rendered.html.contains("href=\"https://x.test/u?a=1&amp;b=2\""))
        #expect(rendered.text == """
            Hi <Ana>,

            Visit our site (https://x.test/u?a=1&b=2)
            Thanks & bye

            - One
            - Two

            Team R&D
            """)
    }

    @Test func authoredTextWins() throws {
        let email = try EmailTemplate(subject: "s", html: "<b>{{name}}</b>", text: "Plain {{name}}")
        #expect(email.render(["name": "<A&B>"]).text == "Plain <A&B>")
        #expect(email.render(["name": "<A&B>"]).html == "<b>&lt;A&amp;B&gt;</b>")
    }

    @Test func plainTextFromHTMLDetails() {
        #expect(EmailTemplate.plainText(fromHTML: "<a href=\"https://a.test\">https://a.test</a>") == "https://a.test")
        #expect(EmailTemplate.plainText(fromHTML: "<a href=\"mailto:x@a.test\">x@a.test</a>") == "x@a.test")
        #expect(EmailTemplate.plainText(fromHTML: "a<script>alert('<p>')</script>b<!-- c -->d") == "abd")
        #expect(EmailTemplate.plainText(fromHTML: "&#65;&#x42;&lt;&unknown; 3 < 4") == "AB<&unknown; 3 < 4")
        #expect(EmailTemplate.plainText(fromHTML: "<p>a</p>\n\n\n<p>b</p>") == "a\n\nb")
    }

    @Test func templateValueDecodesJSON() throws {
        let json = #"{"plan":"pro","seats":3,"vip":true,"tags":["a"],"none":null,"nested":{"k":1.5}}"#
        let value = try JSONDecoder().decode(TemplateValue.self, from: Data(json.utf8))
        #expect(value == ["plan": "pro", "seats": 3, "vip": true, "tags": ["a"], "none": nil, "nested": ["k": 1.5]])
    }

    @Test func channelRawValues() {
        #expect(Channel.allCases.map(\.rawValue) == ["email", "whatsapp", "telegram"])
        #expect(Channel(rawValue: "telegram") == .telegram)
    }
}
