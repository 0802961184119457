internal import COpenSSL

/// Comparisons whose running time does not depend on the bytes compared.
public enum ConstantTime {
    /// Whether `a` and `b` hold the same bytes, in time that depends only on their lengths.
    ///
    /// Use it for signatures, MACs and tokens: `==` stops at the first differing byte, which
    /// lets an attacker who can time the check guess a valid tag byte by byte. Lengths are not
    /// secret (a tag's length is public), so different lengths return `false` at once without
    /// reading the contents. Two empty arrays are equal.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { left in
            b.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }
}
