import Dispatch
import Foundation
import Synchronization

/// Becomes `fired` on the first of the given signals; `wait(upTo:)` returns early when it does.
/// Used by the simple loops (scheduler, sandbox, demo) that need no service group.
final class SignalLatch: Sendable {
    private final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    private let flag = Flag()
    // DispatchSourceSignal is not Sendable; the sources are only kept alive here, never touched again.
    private nonisolated(unsafe) var sources: [any DispatchSourceSignal] = []

    init(_ signals: [Int32]) {
        for sig in signals {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [flag] in flag.value.store(true, ordering: .relaxed) }
            source.resume()
            sources.append(source)
        }
    }

    var fired: Bool { flag.value.load(ordering: .relaxed) }

    func wait(upTo duration: Duration) async {
        let deadline = ContinuousClock.now + duration
        while !fired, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
    }
}
