import Foundation
import OutreachCore
import OutreachStore
import Synchronization

/// What this worker did, for its logs and its metrics (`OutreachMetrics`).
final class WorkerStats: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    func add(records: [SendLedger.ExecutionRecord]) {
        guard !records.isEmpty else { return }
        counts.withLock { counts in
            for r in records { counts[r.status.rawValue, default: 0] += 1 }
        }
        for r in records {
            if let channel = r.context.channel { OutreachMetrics.recordSend(channel: channel, outcome: r.status.rawValue) }
            if let reason = r.reason, r.status == .blocked || r.status == .skipped || r.status == .deferred {
                OutreachMetrics.recordSafetyCheck(check: reason, outcome: r.status.rawValue)
            }
        }
    }

    func observeLatency(_ duration: Duration, channel: Channel) {
        OutreachMetrics.recordProviderLatency(channel: channel, duration)
    }

    var snapshot: [String: Int] { counts.withLock { $0 } }
}
