@testable import Sandbox
import Testing

@Suite("IdempotencyCache")
struct IdempotencyCacheTests {
    @Test func keysExpireAfterRetention() {
        var cache = IdempotencyCache(retention: .seconds(10))
        let start = ContinuousClock.now
        #expect(cache.admit(account: "a", key: "k", fingerprint: 1, now: start) == .proceed)
        #expect(cache.admit(account: "a", key: "k", fingerprint: 1, now: start) == .inFlight)
        #expect(cache.admit(account: "a", key: "k", fingerprint: 2, now: start) == .payloadMismatch)
        cache.complete(account: "a", key: "k", fingerprint: 1, messageID: "m1", now: start)
        #expect(cache.admit(account: "a", key: "k", fingerprint: 1, now: start + .seconds(9)) == .replay(messageID: "m1"))
        #expect(cache.admit(account: "a", key: "k", fingerprint: 2, now: start + .seconds(11)) == .proceed)
        #expect(cache.count == 1)
    }

    @Test func abandonLetsARetryProceed() {
        var cache = IdempotencyCache()
        let now = ContinuousClock.now
        #expect(cache.admit(account: "a", key: "k", fingerprint: 1, now: now) == .proceed)
        cache.abandon(account: "a", key: "k")
        #expect(cache.admit(account: "a", key: "k", fingerprint: 1, now: now) == .proceed)
    }
}

@Suite("JSONParser")
struct JSONParserTests {
    @Test func parsesEveryKind() throws {
        let text = #" {"a":[1,-2.5e2,true,false,null],"s":"x\"\\\/\n\u00e8\ud83d\ude00","o":{},"e":[]} "#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value == ["a": [1, .double(-250), true, false, nil], "s": "x\"\\/\nè😀", "o": .object([:]), "e": []])
        #expect(JSONValue.parse(value.serialized) == value)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "tru", "\"\u{1}\"", "\"\\x\"", "{} x", "\"\\ud83d\"", "[-]"])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }
}
