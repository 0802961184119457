import HTTPClient
import Hummingbird
import JSON
import HummingbirdTesting
import Sandbox
import Testing

@Suite("Rate limits and faults")
struct RateLimitAndFaultTests {
    /// Ten calls against a limit of 3 per second: at most three pass in each one-second window
    /// the burst touches, so at least four are limited when it takes under a second. A loaded
    /// machine can stretch a burst over more windows; the bound follows the windows it touched.
    @Test func excessRequestsGetEachProvidersRealistic429() async throws {
        try await makeSandbox { $0.rateLimitPerSecond = 3 }.test(.live) { client in
            var limitedCount = 0

            var resendLimited = 0
            var started = ContinuousClock.now
            for _ in 0..<10 {
                let response = try await client.post("/emails", json: emailBody, bearer: "re_test")
                guard response.status == .tooManyRequests else { continue }
                resendLimited += 1
                #expect(response.json["statusCode"] == 429)
                #expect(response.json["name"] == "rate_limit_exceeded")
                #expect(response.headers[.retryAfter] == "1")
                #expect(response.headers[.init("ratelimit-limit")!] == "3")
                #expect(response.headers[.init("ratelimit-remaining")!] == "0")
                #expect(response.headers[.init("ratelimit-reset")!] == "1")
            }
            #expect(Self.plausible(limited: resendLimited, since: started))
            limitedCount += resendLimited

            // Meta answers 130429 with HTTP 400; clients classify on the code.
            var whatsAppLimited = 0
            started = ContinuousClock.now
            for _ in 0..<10 {
                let response = try await client.post("/v21.0/1234567890/messages", json: whatsAppText, bearer: "EAAtest")
                guard response.status != .ok else { continue }
                whatsAppLimited += 1
                #expect(response.status == .badRequest)
                #expect(response.json["error"]?["code"] == 130429)
                #expect(response.json["error"]?["message"] == "(#130429) Rate limit hit")
            }
            #expect(Self.plausible(limited: whatsAppLimited, since: started))
            limitedCount += whatsAppLimited

            var telegramLimited = 0
            started = ContinuousClock.now
            for index in 0..<10 {
                let response = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":\#(index + 1),"text":"hi"}"#)
                guard response.status != .ok else { continue }
                telegramLimited += 1
                #expect(response.status == .tooManyRequests)
                #expect(response.json == ["ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1",
                                          "parameters": ["retry_after": 1]])
                #expect(response.headers[.retryAfter] == "1")
            }
            #expect(Self.plausible(limited: telegramLimited, since: started))
            limitedCount += telegramLimited

            let stats = try await client.execute(uri: "/_sandbox/stats", method: .get).json
            #expect(stats["total"]?["rate_limited"]?.intValue == limitedCount)
            #expect(stats["total"]?["accepted"]?.intValue == 30 - limitedCount)
        }
    }

    /// Whether `limited` of ten calls begun at `start` fits a limit of 3 per one-second window:
    /// the first three always pass, and a burst of d seconds touches at most ⌈d⌉ + 1 windows.
    static func plausible(limited: Int, since start: ContinuousClock.Instant) -> Bool {
        let elapsed = (ContinuousClock.now - start) / .seconds(1)
        let windows = Int(elapsed.rounded(.up)) + 1
        return (max(0, 10 - 3 * windows)...7).contains(limited)
    }

    @Test func limitsArePerAccount() async throws {
        try await makeSandbox { $0.rateLimitPerSecond = 1 }.test(.live) { client in
            let a = try await client.post("/emails", json: emailBody, bearer: "re_a")
            let b = try await client.post("/emails", json: emailBody, bearer: "re_b")
            #expect(a.status == .ok)
            #expect(b.status == .ok)
        }
    }

    /// Every kind of fault: a 5xx with the provider's body, a hung request and a dropped
    /// connection. The calls go through libcurl, which opens a new connection after each one
    /// the sandbox closed (the test client has only the one).
    @Test func failRateOneGivesOnlyFaults() async throws {
        let app = makeSandbox {
            $0.failRate = 1
            $0.timeoutFaultDuration = .milliseconds(10)
            $0.randomSeed = 7
        }
        try await app.test(.live) { client in
            let other = SecondConnection(port: try #require(client.port))
            defer { other.shutdown() }
            func call(_ path: String, _ body: String, bearer: String? = nil) async throws -> (status: Int, json: JSONValue)? {
                do {
                    // Not replayable: libcurl would otherwise send again a call whose reused
                    // connection the sandbox closed, and the faults would not add up.
                    return try await other.post(path, json: body, bearer: bearer, replayable: false)
                } catch let error as HTTPClientError {
                    // The connection ended without an answer: what a dropped or hung call looks like.
                    #expect(error.code == .receive || error.code == .send)
                    return nil
                }
            }
            var closed = 0
            for _ in 0..<12 {
                if let email = try await call("/emails", emailBody, bearer: "re_test") {
                    #expect(email.status == 500)
                    #expect(email.json["name"] == "internal_server_error")
                } else { closed += 1 }
                if let whatsapp = try await call("/v21.0/1234567890/messages", whatsAppText, bearer: "EAAtest") {
                    #expect(whatsapp.status == 500)
                    #expect(whatsapp.json["error"]?["is_transient"] == true)
                } else { closed += 1 }
                if let telegram = try await call("/bot1:A/sendMessage", #"{"chat_id":5,"text":"x"}"#) {
                    #expect(telegram.status == 500)
                    #expect(telegram.json["error_code"] == 500)
                } else { closed += 1 }
            }
            // With this seed all three kinds occur.
            #expect((1..<36).contains(closed))
            #expect(try await client.sandboxMessages().isEmpty)
            let stats = try await client.execute(uri: "/_sandbox/stats", method: .get).json
            #expect(stats["total"]?["faults"] == 36)
            #expect(stats["total"]?["accepted"] == 0)
        }
    }

    @Test func faultReleasesTheIdempotencyKey() async throws {
        // With a seed, the sequence is repeatable; find a run where the first call faults and
        // check a retry with the same key then goes through. A 0.5 rate gives both outcomes.
        try await makeSandbox { $0.failRate = 0.5; $0.faultKinds = [.serverError]; $0.randomSeed = 1 }.test(.live) { client in
            var sawFault = false
            var accepted = 0
            for _ in 0..<20 {
                let response = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "same")
                if response.status == .internalServerError { sawFault = true }
                if response.status == .ok { accepted += 1 }
                #expect(response.status != .conflict)
            }
            #expect(sawFault)
            #expect(accepted > 0)
            #expect(try await client.sandboxMessages().count == 1)
        }
    }

    @Test func droppedConnectionClosesWithoutAResponse() async throws {
        let app = makeSandbox { $0.failRate = 1; $0.faultKinds = [.droppedConnection] }
        try await app.test(.live) { client in
            _ = await #expect(throws: (any Error).self) {
                _ = try await client.post("/bot1:A/sendMessage", json: #"{"chat_id":5,"text":"x"}"#)
            }
        }
    }

    @Test func latencyDelaysEveryProviderCall() async throws {
        // A latency far above what a busy test machine adds, so that the control request's
        // time tells "not delayed" apart from "slow".
        try await makeSandbox { $0.latency = .milliseconds(600) }.test(.live) { client in
            let clock = ContinuousClock()
            let start = clock.now
            _ = try await client.post("/emails", json: emailBody)
            #expect(clock.now - start >= .milliseconds(600))
            let control = clock.now
            _ = try await client.sandboxMessages()
            #expect(clock.now - control < .milliseconds(600))
        }
    }

    /// Calls on many connections wait in one line per event loop: each still waits its full
    /// latency, counted from its own arrival, and none is lost or answered twice.
    @Test func callsOnManyConnectionsEachWaitTheLatency() async throws {
        try await makeSandbox { $0.latency = .milliseconds(300) }.test(.live) { client in
            let other = SecondConnection(port: try #require(client.port))
            defer { other.shutdown() }
            let clock = ContinuousClock()
            let waits = try await withThrowingTaskGroup(of: (Int, Duration).self) { group in
                for chat in 1...40 {
                    group.addTask {
                        // Spread over about 100 ms, so that the calls fall due at different times.
                        try await Task.sleep(for: .milliseconds(chat * 2 + (chat % 3) * 10))
                        let start = clock.now
                        let answer = try await other.post("/bot1:A/sendMessage", json: #"{"chat_id":\#(chat),"text":"hi"}"#)
                        #expect(answer.status == 200)
                        return (chat, clock.now - start)
                    }
                }
                return try await group.reduce(into: [Int: Duration]()) { $0[$1.0] = $1.1 }
            }
            #expect(waits.count == 40)
            #expect(waits.values.allSatisfy { $0 >= .milliseconds(300) }, "no call is answered early")
            #expect(try await client.sandboxMessages().count == 40)
        }
    }
}
