import JSON
/// Resend's `Idempotency-Key` semantics: a key is kept for 24 hours; the same key with the
/// same payload replays the first answer; with another payload it is a 409; while the first
/// request is still being processed, a second one is a 409 the client may retry.
///
/// A value type owned by `MessageStore`, so that recording a message and completing its key
/// happen in one actor step: a replay can never see a key completed without its message.
struct IdempotencyCache: Sendable {
    /// What to do with a request that carries a key.
    enum Admission: Sendable, Equatable {
        /// First use (or the earlier one expired or failed): go ahead; the key is now in flight.
        case proceed
        /// Same key, same payload, already answered: answer with this message id again.
        case replay(messageID: String)
        /// Same key, other payload: `409 invalid_idempotent_request`.
        case payloadMismatch
        /// Same key while the first request is still in flight: `409 concurrent_idempotent_requests`.
        case inFlight
    }

    private enum State: Sendable {
        case inFlight
        case completed(messageID: String)
    }

    private struct Entry: Sendable {
        var fingerprint: Int
        var state: State
        var expiresAt: ContinuousClock.Instant
    }

    /// Keys are scoped per API key, as Resend scopes them per account.
    private struct Scope: Hashable, Sendable {
        var account: String
        var key: String
    }

    /// How long a key is remembered.
    let retention: Duration
    private var entries: [Scope: Entry] = [:]
    /// Keys in insertion order; with one retention for all, that is also expiry order, so
    /// purging pops from the front instead of scanning every entry.
    private var expiryQueue: [(scope: Scope, expiresAt: ContinuousClock.Instant)] = []
    private var expiryHead = 0

    init(retention: Duration = .seconds(24 * 3600)) {
        self.retention = retention
    }

    /// Number of keys remembered (in flight or completed).
    var count: Int { entries.count }

    /// Admits a request with `key` for `account` whose payload hashes to `fingerprint`.
    ///
    /// `fingerprint` is `JSONValue.hashValue`: key order does not matter, and a 64-bit hash
    /// keeps memory flat under benchmarks at the cost of a negligible collision chance.
    mutating func admit(
        account: String, key: String, fingerprint: Int, now: ContinuousClock.Instant
    ) -> Admission {
        purge(now: now)
        let scope = Scope(account: account, key: key)
        if let entry = entries[scope], entry.expiresAt > now {
            guard entry.fingerprint == fingerprint else { return .payloadMismatch }
            switch entry.state {
            case .inFlight: return .inFlight
            case .completed(let messageID): return .replay(messageID: messageID)
            }
        }
        let expiresAt = now + retention
        entries[scope] = Entry(fingerprint: fingerprint, state: .inFlight, expiresAt: expiresAt)
        expiryQueue.append((scope, expiresAt))
        return .proceed
    }

    /// Records the answer for a key admitted with `.proceed`.
    mutating func complete(account: String, key: String, fingerprint: Int, messageID: String, now: ContinuousClock.Instant) {
        let scope = Scope(account: account, key: key)
        if var entry = entries[scope] {
            entry.state = .completed(messageID: messageID)
            entries[scope] = entry
        } else {
            // Cleared (DELETE /_sandbox/messages) while in flight: remember it afresh.
            let expiresAt = now + retention
            entries[scope] = Entry(fingerprint: fingerprint, state: .completed(messageID: messageID), expiresAt: expiresAt)
            expiryQueue.append((scope, expiresAt))
        }
    }

    /// Forgets a key admitted with `.proceed` whose request failed, so a retry can go through
    /// (a failed send has no answer worth replaying).
    mutating func abandon(account: String, key: String) {
        let scope = Scope(account: account, key: key)
        if case .inFlight = entries[scope]?.state {
            entries[scope] = nil
        }
    }

    /// Forgets every key.
    mutating func removeAll() {
        entries.removeAll()
        expiryQueue.removeAll()
        expiryHead = 0
    }

    private mutating func purge(now: ContinuousClock.Instant) {
        while expiryHead < expiryQueue.count, expiryQueue[expiryHead].expiresAt <= now {
            let (scope, expiresAt) = expiryQueue[expiryHead]
            // The key may have been re-admitted since (after expiry or abandon); only the
            // matching generation goes.
            if let entry = entries[scope], entry.expiresAt == expiresAt {
                entries[scope] = nil
            }
            expiryHead += 1
        }
        if expiryHead > 1024, expiryHead * 2 > expiryQueue.count {
            expiryQueue.removeFirst(expiryHead)
            expiryHead = 0
        }
    }
}
