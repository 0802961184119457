import Foundation

/// A value shared between threads, guarded by a lock. (`Synchronization.Mutex` would do, but it
/// needs macOS 15 and the package supports macOS 14.)
///
/// `@unchecked Sendable` is safe because `value` is private and only read or written inside
/// `withLock`, which holds `lock` for the whole access; `Value: Sendable` so nothing non-Sendable
/// can escape the critical section.
final class LockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    @inline(__always)
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
