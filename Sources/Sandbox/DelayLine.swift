import Synchronization

/// Holds provider calls for the sandbox's fixed latency with one timer for all of them.
///
/// Every call waits the same delay, so deadlines come due in the order the calls arrived: a
/// FIFO drained by one sleeping task that wakes at the head's deadline and releases everything
/// due. A `Task.sleep` per call cost a timer and its thread hops each, about a tenth of the
/// sandbox's CPU at benchmark rates.
final class DelayLine: Sendable {
    let delay: Duration

    private struct State {
        var waiting: [(deadline: ContinuousClock.Instant, continuation: CheckedContinuation<Void, Never>)] = []
        /// Index of the first call still waiting; released slots are dropped in bulk.
        var head = 0
        /// Whether a task is draining the line (at most one is).
        var draining = false
    }

    private let state = Mutex(State())

    init(delay: Duration) {
        self.delay = delay
    }

    /// Returns `delay` after it was called (within a millisecond).
    func wait() async {
        let deadline = ContinuousClock.now + delay
        await withCheckedContinuation { continuation in
            let startDrainer = state.withLock { state -> Bool in
                state.waiting.append((deadline, continuation))
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDrainer { Task { await self.drain() } }
        }
    }

    private func drain() async {
        while true {
            let (due, next) = state.withLock { state -> ([CheckedContinuation<Void, Never>], ContinuousClock.Instant?) in
                let now = ContinuousClock.now
                var due: [CheckedContinuation<Void, Never>] = []
                while state.head < state.waiting.count, state.waiting[state.head].deadline <= now {
                    due.append(state.waiting[state.head].continuation)
                    state.head += 1
                }
                if state.head == state.waiting.count {
                    state.waiting.removeAll(keepingCapacity: true)
                    state.head = 0
                    state.draining = false
                    return (due, nil)
                }
                if state.head >= 1024 {
                    state.waiting.removeFirst(state.head)
                    state.head = 0
                }
                return (due, state.waiting[state.head].deadline)
            }
            for continuation in due { continuation.resume() }
            guard let next else { return }
            try? await Task.sleep(until: next, tolerance: .microseconds(500), clock: .continuous)
        }
    }
}
