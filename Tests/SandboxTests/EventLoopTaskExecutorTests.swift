import NIOCore
import NIOPosix
@testable import Sandbox
import Testing

/// The sandbox's requests run on the event loop that owns their sockets.
@Suite struct EventLoopTaskExecutorTests {
    @Test func tasksPreferringTheLoopRunOnItAcrossSuspensionsAndChildren() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let loop = group.next()
        let executor = EventLoopTaskExecutor(loop)
        let (direct, afterSleep, children) = await withTaskExecutorPreference(executor) {
            let direct = loop.inEventLoop
            try? await Task.sleep(for: .milliseconds(5))
            let afterSleep = loop.inEventLoop
            // Child tasks (as Hummingbird's per-connection tasks are) inherit the preference.
            let children = await withTaskGroup(of: Bool.self) { tasks in
                for _ in 0..<20 { tasks.addTask { loop.inEventLoop } }
                var all = true
                for await onLoop in tasks { all = all && onLoop }
                return all
            }
            return (direct, afterSleep, children)
        }
        #expect(direct && afterSleep && children)
        #expect(!loop.inEventLoop, "the test itself runs elsewhere")
        try await group.shutdownGracefully()
    }
}
