internal import COpenSSL

/// Reads libcrypto's thread-local error queue for the messages of fatal errors.
enum OpenSSLError {
    /// The oldest queued error as OpenSSL's text, or a fixed string if the queue is empty;
    /// clears the queue so a later failure does not report a stale error.
    static func lastMessage() -> String {
        let code = ERR_get_error()
        defer { ERR_clear_error() }
        guard code != 0 else { return "no OpenSSL error queued" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
