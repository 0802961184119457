import OutreachCrypto
import Synchronization

/// A simulated network or provider failure.
public struct SandboxFault: Error, Sendable, Hashable {
    /// The ways a provider call can fail without a provider error code.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A 5xx with the provider's own error body (retryable).
        case serverError = "server_error"
        /// The request is held until the client gives up, then the connection closes.
        case timeout
        /// The connection closes without any response.
        case droppedConnection = "dropped_connection"
    }

    /// Which failure this is.
    public let kind: Kind
}

/// Decides which provider calls fail, at `SandboxConfiguration.failRate`.
///
/// Locked because a seeded generator has state; with a fail rate of 0 the routes never call
/// it, so the common benchmark path pays nothing.
final class FaultInjector: Sendable {
    private let failRate: Double
    private let kinds: [SandboxFault.Kind]
    private let generator: Mutex<SplitMix64>

    init(failRate: Double, kinds: [SandboxFault.Kind], seed: UInt64?) {
        self.failRate = min(max(failRate, 0), 1)
        self.kinds = kinds.isEmpty ? SandboxFault.Kind.allCases : kinds
        var system = SystemRandomNumberGenerator()
        self.generator = Mutex(SplitMix64(seed: seed ?? system.next()))
    }

    /// The fault for the next call, or `nil` when it should go through.
    func next() -> SandboxFault.Kind? {
        guard failRate > 0 else { return nil }
        // Double.random(in: 0..<1) never returns 1, so a rate of 1.0 faults every call.
        return generator.withLock { generator in
            guard Double.random(in: 0..<1, using: &generator) < failRate else { return nil }
            return kinds.randomElement(using: &generator)
        }
    }
}
