internal import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto.
public enum SHA256 {
    /// Length in bytes of a SHA-256 digest.
    public static let byteCount = 32

    /// The SHA-256 digest of `data`.
    public static func hash(_ data: some Collection<UInt8>) -> [UInt8] {
        withContiguousBytes(data) { pointer, count in
            [UInt8](unsafeUninitializedCapacity: byteCount) { output, initialized in
                var length: UInt32 = 0
                // As with HMAC: EVP_Digest fails only on allocation failure or a broken
                // libcrypto, which no caller can recover from.
                guard EVP_Digest(pointer, count, output.baseAddress, &length, EVP_sha256(), nil) == 1,
                    Int(length) == byteCount
                else {
                    fatalError("SHA-256 failed in libcrypto: \(OpenSSLError.lastMessage())")
                }
                initialized = byteCount
            }
        }
    }
}
