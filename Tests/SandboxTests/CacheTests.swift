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
