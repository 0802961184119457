import Foundation
import Metrics
import OutreachCore
import OutreachStore
import Synchronization

/// What this worker did, for its logs and its metrics (`outreach_sends_total`,
/// `outreach_provider_latency_seconds`, `outreach_safety_checks_total`).
final class WorkerStats: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func add(records: [SendLedger.ExecutionRecord]) {
        guard !records.isEmpty else { return }
        counts.withLock { counts in
            for r in records { counts[r.status.rawValue, default: 0] += 1 }
        }
        for r in records {
            let channel = r.context.channel?.rawValue ?? "unknown"
            Counter(label: "outreach_sends_total", dimensions: [("channel", channel), ("outcome", r.status.rawValue)]).increment()
            if let reason = r.reason, r.status == .blocked || r.status == .skipped || r.status == .deferred {
                Counter(label: "outreach_safety_checks_total", dimensions: [("check", reason), ("outcome", r.status.rawValue)])
                    .increment()
            }
        }
    }

    func observeLatency(_ duration: Duration, channel: Channel) {
        Timer(label: "outreach_provider_latency_seconds", dimensions: [("channel", channel.rawValue)])
            .recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    var snapshot: [String: Int] { counts.withLock { $0 } }
}
