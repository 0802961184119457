import Hummingbird
import HummingbirdTesting
@testable import Sandbox
import Testing

@Suite("Telegram POST /bot{token}/sendMessage")
struct TelegramTests {
    @Test func sendMessageHasBotAPIShape() async throws {
        try await makeSandbox().test(.live) { client in
            let response = try await client.post(
                "/bot123:ABC/sendMessage", json: #"{"chat_id":987654,"text":"<b>Ciao</b> &amp; benvenuta","parse_mode":"HTML"}"#)
            #expect(response.status == .ok)
            #expect(response.json["ok"] == true)
            let result = try #require(response.json["result"])
            #expect(result["message_id"]?.intValue != nil)
            #expect(result["chat"]?["id"] == 987654)
            #expect(result["chat"]?["type"] == "private")
            #expect(result["text"] == "Ciao & benvenuta")
            #expect(result["date"]?.intValue != nil)
            let message = try #require(try await client.sandboxMessages().first)
            #expect(message["channel"] == "telegram")
            #expect(message["to"] == "987654")
            #expect(message["parse_mode"] == "HTML")
            #expect(message["account"] == "bot123")
        }
    }

    @Test func formEncodedParametersWork() async throws {
        try await makeSandbox().test(.live) { client in
            let response = try await client.post(
                "/bot123:ABC/sendMessage", json: "chat_id=42&text=Ciao+a+tutti%21",
                contentType: "application/x-www-form-urlencoded")
            #expect(response.status == .ok)
            #expect(response.json["result"]?["text"] == "Ciao a tutti!")
        }
    }

    @Test func fixturesAnswerLikeTelegram() async throws {
        try await makeSandbox().test(.live) { client in
            let blocked = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":403403,"text":"hi"}"#)
            #expect(blocked.status == .forbidden)
            #expect(blocked.json == ["ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"])

            let notFound = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":0,"text":"hi"}"#)
            #expect(notFound.status == .badRequest)
            #expect(notFound.json["description"] == "Bad Request: chat not found")

            let unauthorized = try await client.post("/botinvalid/sendMessage", json: #"{"chat_id":1,"text":"hi"}"#)
            #expect(unauthorized.status == .unauthorized)
            #expect(unauthorized.json == ["ok": false, "error_code": 401, "description": "Unauthorized"])

            let noText = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":1}"#)
            #expect(noText.json["description"] == "Bad Request: message text is empty")
            #expect(try await client.sandboxMessages().isEmpty)
        }
    }

    @Test func unclosedTagCannotBeParsed() async throws {
        try await makeSandbox().test(.live) { client in
            let response = try await client.post(
                "/bot123:ABC/sendMessage", json: #"{"chat_id":1,"text":"<b>unclosed","parse_mode":"HTML"}"#)
            #expect(response.status == .badRequest)
            #expect(response.json["ok"] == false)
            #expect(response.json["error_code"] == 400)
            let description = try #require(response.json["description"]?.stringValue)
            #expect(description.hasPrefix("Bad Request: can't parse entities: "))
        }
    }

    @Test func wellFormedHTMLIsAccepted() throws {
        let html = #"<b>bold <i>both</i></b> <a href="https://x.test/?a=1&amp;b=2">link</a> <span class="tg-spoiler">s</span> <code>a &lt; b</code> <pre>x</pre> <blockquote>q</blockquote>"#
        #expect(try TelegramHTMLChecker.plainText(of: html) == "bold both link s a < b x q")
        #expect(try TelegramHTMLChecker.plainText(of: "&#65;&#x42;&quot;&gt;") == "AB\">")
    }

    @Test(arguments: [
        "<b>unclosed", "<b><i>x</b></i>", "</b>", "<div>x</div>", "Tom & Jerry", "&nbsp;", "a > b",
        "<span>x</span>", "<a href=\"x\"", "&#0;",
    ])
    func malformedHTMLIsRejected(_ html: String) {
        #expect(throws: TelegramParseError.self) { try TelegramHTMLChecker.plainText(of: html) }
    }

    @Test func markdownV2RequiresEscapes() async throws {
        #expect(try TelegramMarkdownChecker.plainText(of: #"*Ciao* _Ana_, sconto del 10\%\! [sito](https://x.test/a_b)"#)
                == "Ciao Ana, sconto del 10%! sito")
        #expect(try TelegramMarkdownChecker.plainText(of: "`a.b` ```\ncode.x```") == "a.b code.x")
        for bad in ["Ciao Ana.", "*bold", "a - b", "||spoiler", "`code"] {
            #expect(throws: TelegramParseError.self) { try TelegramMarkdownChecker.plainText(of: bad) }
        }
        try await makeSandbox().test(.live) { client in
            let response = try await client.post(
                "/bot123:ABC/sendMessage", json: #"{"chat_id":1,"text":"Fine.","parse_mode":"MarkdownV2"}"#)
            #expect(response.status == .badRequest)
            #expect(response.json["description"]?.stringValue?.hasPrefix("Bad Request: can't parse entities: ") == true)
        }
    }
}
