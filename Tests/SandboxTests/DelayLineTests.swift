@testable import Sandbox
import Testing

@Suite("DelayLine")
struct DelayLineTests {
    @Test("every caller waits the delay, however many wait at once and whenever they arrive")
    func everyCallerWaitsTheDelay() async {
        let line = DelayLine(delay: .milliseconds(40))
        let clock = ContinuousClock()
        let waits = await withTaskGroup(of: Duration.self) { group in
            for index in 0..<300 {
                group.addTask {
                    // Staggered arrivals, so the line drains while new calls join it.
                    try? await Task.sleep(for: .milliseconds(index % 30))
                    let start = clock.now
                    await line.wait()
                    return clock.now - start
                }
            }
            var waits: [Duration] = []
            for await wait in group { waits.append(wait) }
            return waits
        }
        #expect(waits.count == 300)
        #expect(waits.allSatisfy { $0 >= .milliseconds(39) }, "shortest wait \(waits.min()!)")
        // Generous upper bound: a loaded machine may be late, but nobody waits for a later batch.
        #expect(waits.allSatisfy { $0 < .milliseconds(1000) }, "longest wait \(waits.max()!)")
        // The line is idle again and serves a new caller.
        let start = clock.now
        await line.wait()
        #expect(clock.now - start >= .milliseconds(39))
    }
}
