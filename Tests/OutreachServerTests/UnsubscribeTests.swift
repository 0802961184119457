import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachEngine
import Postgres
import Testing

/// RFC 8058 one-click unsubscribe over real HTTP.
@Suite struct UnsubscribeTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func getShowsAConfirmationAndChangesNothing() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                let before = try await f.snapshot()
                try await client.execute(uri: "/unsubscribe/\(f.unsubscribeToken)", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                    #expect(response.body.text.contains(#"<form method="post" action="/unsubscribe/\#(f.unsubscribeToken)">"#))
                    #expect(response.body.text.contains(#"name="List-Unsubscribe" value="One-Click""#))
                    #expect(response.headers[.setCookie] == nil)
                }
                #expect(try await f.snapshot() == before)
                #expect(try await f.count("outreach_consent", "channel = 'email' AND status = 'granted'") == 1)
            }
        }
    }

    @Test func oneClickPostRevokesOnceAndIsIdempotent() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                for _ in 0..<2 {
                    try await client.execute(uri: "/unsubscribe/\(f.unsubscribeToken)", method: .post, headers: Self.form,
                                             body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { response in
                        #expect(response.status == .ok)
                        #expect(response.headers[.location] == nil)
                        #expect(response.headers[.setCookie] == nil)
                        #expect(response.body.text.contains("unsubscribed"))
                    }
                }
                #expect(try await f.count("outreach_consent", "channel = 'email' AND status = 'revoked' AND version = 2") == 1)
                #expect(try await f.count("outreach_consent", "channel = 'whatsapp' AND status = 'granted'") == 1)
                #expect(try await f.count("outreach_consent_history", "action = 'revoke' AND actor = 'unsubscribe' AND channel = 'email'") == 1)
                #expect(try await f.count("outreach_suppressions", "address = 'ada@example.com' AND reason = 'unsubscribe'") == 1)
            }
        }
    }

    @Test func multipartBodyIsAccepted() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.router) { client in
                let body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n"
                try await client.execute(uri: "/unsubscribe/\(f.unsubscribeToken)", method: .post,
                                         headers: [.contentType: "multipart/form-data; boundary=XyZ"],
                                         body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
                #expect(try await f.count("outreach_consent", "channel = 'email' AND status = 'revoked'") == 1)
            }
        }
    }

    @Test func unknownTokenAndWrongBody() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.router) { client in
                let before = try await f.snapshot()
                let unknown = String(repeating: "a", count: 64)
                try await client.execute(uri: "/unsubscribe/\(unknown)", method: .post, headers: Self.form,
                                         body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { #expect($0.status == .notFound) }
                try await client.execute(uri: "/unsubscribe/\(unknown)", method: .get) { #expect($0.status == .notFound) }
                try await client.execute(uri: "/unsubscribe/short", method: .post, headers: Self.form,
                                         body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { #expect($0.status == .notFound) }
                try await client.execute(uri: "/unsubscribe/\(f.unsubscribeToken)", method: .post, headers: Self.form,
                                         body: ByteBuffer(string: "List-Unsubscribe=Maybe")) { #expect($0.status == .badRequest) }
                try await client.execute(uri: "/unsubscribe/\(f.unsubscribeToken)", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: "List-Unsubscribe=One-Click")) { #expect($0.status == .badRequest) }
                #expect(try await f.snapshot() == before)
            }
        }
    }

    @Test func linksForTheWorker() {
        #expect(UnsubscribeLink.url(base: "https://out.example.com/", token: "abc_DEF-123") == "https://out.example.com/unsubscribe/abc_DEF-123")
        #expect(UnsubscribeLink.url(base: "https://out.example.com", token: "a b") == "https://out.example.com/unsubscribe/a%20b")
        #expect(UnsubscribeLink.url(token: "t", environment: [:]) == nil)
        #expect(UnsubscribeLink.headers(token: "tok", environment: ["OUTREACH_PUBLIC_URL": "https://x.test"]) == [
            "List-Unsubscribe": "<https://x.test/unsubscribe/tok>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        ])
    }
}
