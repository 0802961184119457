internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes (an empty array for `count == 0`).
    ///
    /// Stops the process if `RAND_bytes` fails. It fails only when the generator cannot be
    /// seeded from the operating system's entropy source, and then every token made from its
    /// output would be guessable: continuing would silently issue insecure unsubscribe tokens
    /// and API keys, so there is no safe value to return and no useful error for a caller.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count \(count)")
        guard count > 0 else { return [] }
        precondition(count <= Int(Int32.max), "SecureRandom.bytes: count \(count) too large")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard RAND_bytes(buffer.baseAddress, Int32(count)) == 1 else {
                fatalError("RAND_bytes failed: \(OpenSSLError.lastMessage())")
            }
            initialized = count
        }
    }

    /// A random token of `byteCount` bytes, base64url-encoded without padding (43 characters
    /// for the default 32 bytes), safe in URLs, headers and file names.
    public static func token(byteCount: Int = 32) -> String {
        Base64.encode(bytes(byteCount), urlSafe: true, padding: false)
    }
}
