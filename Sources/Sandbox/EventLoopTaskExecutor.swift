import NIOCore

/// Runs Swift tasks on one NIO event loop.
///
/// The sandbox answers thousands of small requests a second; under the default executor each
/// one hops from the event loop to the cooperative pool and back (a thread wake-up per hop),
/// which cost more CPU than the request itself. With every task preferring the loop that also
/// owns the sockets (a one-thread group), a request is read, answered and written on one thread.
public final class EventLoopTaskExecutor: TaskExecutor {
    /// The loop the tasks run on.
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
