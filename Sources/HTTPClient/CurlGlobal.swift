internal import CCurl

/// libcurl's process-wide initialisation, done once before the first handle is created.
///
/// `curl_global_init` is not guaranteed thread-safe on every libcurl build, so it runs inside
/// a Swift `static let` initialiser, which the runtime executes exactly once, atomically.
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK

    /// Initialises libcurl if needed; stops the process if that fails, because without it no
    /// handle can be made and every request would fail in a confusing way.
    static func ensureInitialized() {
        guard initialized else {
            fatalError("curl_global_init failed")
        }
    }
}
