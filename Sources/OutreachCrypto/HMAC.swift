internal import COpenSSL

/// Keyed-hash message authentication (RFC 2104) through OpenSSL's libcrypto.
public enum HMAC {
    /// Length in bytes of an HMAC-SHA256 tag.
    public static let sha256ByteCount = 32

    /// HMAC-SHA256 of `message` under `key` (any key length, including empty).
    ///
    /// Used to sign and verify webhooks (Svix/Resend, WhatsApp's `X-Hub-Signature-256`) and
    /// unsubscribe tokens. Compare tags with ``ConstantTime/equals(_:_:)``, never `==`.
    public static func sha256(key: some Collection<UInt8>, message: some Collection<UInt8>) -> [UInt8] {
        withContiguousBytes(key) { keyPointer, keyCount in
            withContiguousBytes(message) { messagePointer, messageCount in
                [UInt8](unsafeUninitializedCapacity: sha256ByteCount) { output, initialized in
                    var length: UInt32 = 0
                    // OpenSSL's one-shot HMAC() fails only when it cannot allocate its context
                    // or fetch the SHA-256 implementation, i.e. the process is out of memory or
                    // libcrypto is broken; neither is something a caller could handle, and
                    // returning a wrong tag would be worse than stopping.
                    guard keyCount <= Int(Int32.max),
                        COpenSSL.HMAC(
                            EVP_sha256(), keyPointer, Int32(keyCount),
                            messagePointer, messageCount, output.baseAddress, &length) != nil,
                        Int(length) == sha256ByteCount
                    else {
                        fatalError("HMAC-SHA256 failed in libcrypto: \(OpenSSLError.lastMessage())")
                    }
                    initialized = sha256ByteCount
                }
            }
        }
    }
}
