#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A joinable POSIX thread running one closure: the driver loop must own a real thread
/// because `curl_multi_poll` blocks, and blocking a cooperative-pool thread would starve
/// Swift concurrency.
struct DriverThread: Sendable {
    /// `pthread_t` (an integer on Linux). Join it once: ``CurlDriver`` takes it out of its
    /// lock-protected slot before joining, so a second `shutdown()` finds nothing to join.
    private let handle: pthread_t

    /// Starts a thread running `body`.
    /// `body` is `sending`: the new thread becomes its only user, which is what lets the
    /// driver loop's non-`Sendable` state move there through the raw pointer below.
    init(_ body: sending @escaping () -> Void) {
        final class Box {
            let body: () -> Void
            init(body: @escaping () -> Void) {
                self.body = body
            }
        }
        let box = Unmanaged.passRetained(Box(body: body)).toOpaque()
        #if canImport(Darwin)
        var handle: pthread_t? = nil
        #else
        var handle = pthread_t()
        #endif
        let result = pthread_create(&handle, nil, { argument in
            #if canImport(Darwin)
            let box = Unmanaged<Box>.fromOpaque(argument).takeRetainedValue()
            #else
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            #endif
            box.body()
            return nil
        }, box)
        guard result == 0 else {
            fatalError("pthread_create failed: \(result)")
        }
        #if canImport(Darwin)
        self.handle = handle!
        #else
        self.handle = handle
        #endif
    }

    /// Waits for the thread to return.
    func join() {
        _ = pthread_join(handle, nil)
    }
}
