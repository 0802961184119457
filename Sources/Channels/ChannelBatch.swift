import HTTPClient
import OutreachCore

/// Sends many messages at once: every request is built first, the exchanges all go out
/// together through their HTTP client (``HTTPClient/execute(_:)-([HTTPRequest])``), and each
/// reply is read by its own client.
///
/// A batch of 200 sends then costs one suspended task instead of 200, each with its stack of
/// async frames and its wake-up when its reply arrives.
public enum ChannelBatch {
    /// One message to send.
    public struct Item: Sendable {
        public var client: any ChannelClient
        public var message: OutboundMessage
        public var idempotencyKey: String

        public init(client: any ChannelClient, message: OutboundMessage, idempotencyKey: String) {
            self.client = client
            self.message = message
            self.idempotencyKey = idempotencyKey
        }
    }

    /// What became of one item.
    public struct Outcome: Sendable {
        public var result: Result<SendReceipt, ChannelError>
        /// The exchange's duration, when an exchange took place.
        public var elapsed: Duration?
    }

    /// Sends every item; the outcomes come back in the items' order.
    public static func send(_ items: [Item]) async -> [Outcome] {
        var outcomes = [Outcome?](repeating: nil, count: items.count)
        // By HTTP client: one batch per client (a process normally has one).
        var exchanges: [ObjectIdentifier: (http: HTTPClient, slots: [Int], requests: [HTTPRequest])] = [:]
        for (index, item) in items.enumerated() {
            do throws(ChannelError) {
                let request = try item.client.request(for: item.message, idempotencyKey: item.idempotencyKey)
                let http = item.client.http
                // Appended in place: a copy taken out of the dictionary and stored back would
                // copy both arrays on every append (the dictionary still holds them).
                exchanges[ObjectIdentifier(http), default: (http, [], [])].slots.append(index)
                exchanges[ObjectIdentifier(http), default: (http, [], [])].requests.append(request)
            } catch {
                outcomes[index] = Outcome(result: .failure(error), elapsed: nil)
            }
        }
        let groups = Array(exchanges.values)
        var replies: [(Int, Result<HTTPResponse, HTTPClientError>)] = []
        if groups.count == 1 {
            replies = Array(zip(groups[0].slots, await groups[0].http.execute(groups[0].requests)))
        } else {
            replies = await withTaskGroup(of: [(Int, Result<HTTPResponse, HTTPClientError>)].self) { group in
                for exchange in groups {
                    group.addTask { Array(zip(exchange.slots, await exchange.http.execute(exchange.requests))) }
                }
                var all: [(Int, Result<HTTPResponse, HTTPClientError>)] = []
                for await part in group { all += part }
                return all
            }
        }
        for (index, reply) in replies {
            let elapsed: Duration? = switch reply {
            case .success(let response): response.elapsed
            case .failure(let error): error.elapsed
            }
            let result: Result<SendReceipt, ChannelError>
            do throws(ChannelError) {
                result = .success(try items[index].client.receipt(from: reply))
            } catch {
                result = .failure(error)
            }
            outcomes[index] = Outcome(result: result, elapsed: elapsed)
        }
        // Every slot was filled: either its request failed to build or its exchange replied.
        return outcomes.map { $0! }
    }
}
