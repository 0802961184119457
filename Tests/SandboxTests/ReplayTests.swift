import HTTPClient
import Hummingbird
import HummingbirdTesting
import JSON
import Sandbox
import Testing

/// libcurl sends a request again on a fresh connection when a reused one dies before any
/// answer. For a provider without dedupe that is a duplicate message whenever the provider
/// had in fact taken the first; `HTTPRequest.replayable = false` stops it.
@Suite("Requests libcurl must not replay")
struct ReplayTests {
    /// Every other call (by a seeded draw) loses its connection; each call of the client is
    /// counted once by the sandbox, whether it was answered or dropped.
    func callsSeenBySandbox(replayable: Bool) async throws -> (calls: Int, seen: Int) {
        let app = makeSandbox { $0.failRate = 0.5; $0.faultKinds = [.droppedConnection]; $0.randomSeed = 3 }
        return try await app.test(.live) { client in
            let other = SecondConnection(port: try #require(client.port))
            defer { other.shutdown() }
            var answered = 0
            for index in 0..<20 {
                do {
                    let response = try await other.post(
                        "/bot1:A/sendMessage", json: #"{"chat_id":\#(index + 1),"text":"x"}"#, replayable: replayable)
                    #expect(response.status == 200)
                    answered += 1
                } catch let error as HTTPClientError {
                    #expect(error.code == .send || error.code == .receive)
                }
            }
            let stats = try await client.execute(uri: "/_sandbox/stats", method: .get).json
            #expect(stats["total"]?["accepted"]?.intValue == answered)
            let seen = (stats["total"]?["accepted"]?.intValue ?? 0) + (stats["total"]?["faults"]?.intValue ?? 0)
            return (20, seen)
        }
    }

    @Test func notReplayableIsSentOnce() async throws {
        let (calls, seen) = try await callsSeenBySandbox(replayable: false)
        #expect(seen == calls)
    }

    /// Why the flag exists: by default libcurl resends after a dropped reused connection.
    @Test func replayableMayBeSentAgain() async throws {
        let (calls, seen) = try await callsSeenBySandbox(replayable: true)
        #expect(seen > calls)
    }
}
