import Channels
import Foundation
import OutreachCore

/// How a worker runs: sizes, timings, gates and provider settings, from flags and environment.
public struct WorkerConfiguration: Sendable {
    /// Identifies this worker in leases (`locked_by`) and logs.
    public var name: String
    /// Sends in flight at once, across batches.
    public var concurrency: Int
    /// Jobs per claim.
    public var batchSize: Int
    /// How long a claim is leased before the rescuer may return it; heartbeats extend it.
    public var lease: Duration
    /// On SIGTERM: how long in-hand work may take before what is left is released.
    public var gracePeriod: Duration
    /// The polling fallback when no NOTIFY arrives.
    public var pollInterval: Duration
    /// How often this worker returns other workers' expired leases.
    public var rescueInterval: Duration
    public var providers: ProviderConfiguration
    /// Base of the one-click unsubscribe links (`OUTREACH_PUBLIC_URL`).
    public var publicURL: String
    /// `OUTREACH_KILL_SWITCH=true` for this process.
    public var killSwitch: Bool
    /// `OUTREACH_PILOT_WORKSPACES`: names or ids; nil = every workspace may send.
    public var pilotWorkspaces: [String]?
    public var retry: RetryPolicy
    /// Database connections for batch work (plus one for LISTEN).
    public var databaseConnections: Int
    public var httpTimeout: Duration

    public init(name: String, concurrency: Int = 100, batchSize: Int = 50, environment: [String: String]) {
        self.name = name
        self.concurrency = max(1, concurrency)
        self.batchSize = max(1, batchSize)
        lease = .seconds(Int64(environment["OUTREACH_LEASE_SECONDS"].flatMap(Int.init) ?? 60))
        gracePeriod = .seconds(Int64(environment["OUTREACH_GRACE_SECONDS"].flatMap(Int.init) ?? 25))
        pollInterval = .milliseconds(Int64(environment["OUTREACH_POLL_MS"].flatMap(Int.init) ?? 1000))
        rescueInterval = .seconds(Int64(environment["OUTREACH_RESCUE_SECONDS"].flatMap(Int.init) ?? 10))
        providers = ProviderConfiguration(environment: environment)
        var url = environment["OUTREACH_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:8080"
        while url.hasSuffix("/") { url.removeLast() }
        publicURL = url
        killSwitch = Self.isTrue(environment["OUTREACH_KILL_SWITCH"])
        let pilot = (environment["OUTREACH_PILOT_WORKSPACES"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        pilotWorkspaces = pilot.isEmpty ? nil : pilot
        retry = RetryPolicy(maxAttempts: environment["OUTREACH_MAX_ATTEMPTS"].flatMap(Int.init) ?? 8,
                            base: .seconds(Int64(environment["OUTREACH_RETRY_BASE_SECONDS"].flatMap(Int.init) ?? 30)))
        databaseConnections = max(2, min(8, self.concurrency / 25 + 2))
        httpTimeout = .seconds(Int64(environment["OUTREACH_HTTP_TIMEOUT_SECONDS"].flatMap(Int.init) ?? 15))
    }

    static func isTrue(_ value: String?) -> Bool {
        ["1", "true", "yes", "on"].contains((value ?? "").lowercased())
    }
}
