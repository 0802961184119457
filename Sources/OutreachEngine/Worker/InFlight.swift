import OutreachStore

/// The jobs this worker holds and the sends it has in flight; the claim loop waits on it for
/// capacity instead of polling.
actor InFlight {
    private(set) var held: [Int64: JobLease] = [:]
    private var waiters: [CheckedContinuation<Void, Never>] = []

    var count: Int { held.count }
    var leases: [JobLease] { Array(held.values) }

    func add(_ jobs: [Job]) {
        for job in jobs { held[job.id] = job.lease }
    }

    func remove(_ jobs: [Job]) {
        for job in jobs { held[job.id] = nil }
        let ready = waiters
        waiters.removeAll()
        for w in ready { w.resume() }
    }

    /// Returns once fewer than `limit` jobs are held.
    func waitForCapacity(_ limit: Int) async {
        while held.count >= limit {
            await withCheckedContinuation { waiters.append($0) }
        }
    }
}
