#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on open files.
enum FileDescriptorLimit {
    /// Raises the soft limit to the hard one, as Go's runtime and most servers do. A worker
    /// holds a connection per send in flight and the sandbox one per caller: with the usual
    /// soft limit of 1 024, two workers at 400 in flight each leave the sandbox out of
    /// descriptors. Lowering is never done; a failure leaves the limit as it was.
    static func raiseToHardLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
