/// Base64 encoding (RFC 4648 §4) and its URL- and file-safe variant (§5).
///
/// Webhook secrets and signatures (Svix `whsec_…`, `v1,…`) use the standard alphabet; tokens
/// put in URLs use the URL-safe alphabet without padding.
public enum Base64 {
    private static let standardAlphabet: [UInt8] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafeAlphabet: [UInt8] =
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps an ASCII byte to its 6-bit value, or 0xFF for bytes outside the alphabet.
    private static let standardDecodeTable = decodeTable(for: standardAlphabet)
    private static let urlSafeDecodeTable = decodeTable(for: urlSafeAlphabet)
    private static let invalid: UInt8 = 0xFF
    private static let pad = UInt8(ascii: "=")

    /// Encodes `bytes`; `urlSafe` selects the `-_` alphabet, `padding` appends `=` up to a
    /// multiple of four characters.
    public static func encode(
        _ bytes: some Collection<UInt8>, urlSafe: Bool = false, padding: Bool = true
    ) -> String {
        let alphabet = urlSafe ? urlSafeAlphabet : standardAlphabet
        let input = Array(bytes)
        let fullGroups = input.count / 3
        let remainder = input.count % 3
        let capacity = fullGroups * 4 + (remainder == 0 ? 0 : (padding ? 4 : remainder + 1))
        return String(unsafeUninitializedCapacity: capacity) { output in
            var out = 0
            var index = 0
            alphabet.withUnsafeBufferPointer { alphabet in
                for _ in 0..<fullGroups {
                    let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                        | UInt32(input[index + 2])
                    output[out] = alphabet[Int(value >> 18 & 0x3F)]
                    output[out + 1] = alphabet[Int(value >> 12 & 0x3F)]
                    output[out + 2] = alphabet[Int(value >> 6 & 0x3F)]
                    output[out + 3] = alphabet[Int(value & 0x3F)]
                    index += 3
                    out += 4
                }
                switch remainder {
                case 1:
                    let value = UInt32(input[index]) << 16
                    output[out] = alphabet[Int(value >> 18 & 0x3F)]
                    output[out + 1] = alphabet[Int(value >> 12 & 0x3F)]
                    out += 2
                    if padding {
                        output[out] = pad
                        output[out + 1] = pad
                        out += 2
                    }
                case 2:
                    let value = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                    output[out] = alphabet[Int(value >> 18 & 0x3F)]
                    output[out + 1] = alphabet[Int(value >> 12 & 0x3F)]
                    output[out + 2] = alphabet[Int(value >> 6 & 0x3F)]
                    out += 3
                    if padding {
                        output[out] = pad
                        out += 1
                    }
                default:
                    break
                }
            }
            return out
        }
    }

    /// Decodes Base64 text in the alphabet chosen by `urlSafe`, or returns nil if it is not
    /// valid Base64.
    ///
    /// Padding is optional (`"Zg"` and `"Zg=="` both decode), but when present it must be
    /// complete and only at the end. Whitespace, characters of the other alphabet and a
    /// dangling single character (length ≡ 1 mod 4) are rejected. Unused low bits of the last
    /// character are ignored, as most decoders do.
    public static func decode(_ s: String, urlSafe: Bool = false) -> [UInt8]? {
        var input = Array(s.utf8)
        // Strip padding, checking it is the right amount for a complete final group.
        var padCount = 0
        while input.last == pad {
            input.removeLast()
            padCount += 1
        }
        if padCount > 0 {
            guard padCount <= 2, (input.count + padCount) % 4 == 0 else { return nil }
        }
        let remainder = input.count % 4
        guard remainder != 1 else { return nil }
        if padCount > 0, 4 - remainder != padCount { return nil }

        let table = urlSafe ? urlSafeDecodeTable : standardDecodeTable
        var output = [UInt8]()
        output.reserveCapacity(input.count / 4 * 3 + 2)
        let valid = table.withUnsafeBufferPointer { table -> Bool in
            var accumulator: UInt32 = 0
            var bits = 0
            for character in input {
                let value = table[Int(character)]
                guard value != invalid else { return false }
                accumulator = accumulator << 6 | UInt32(value)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                }
            }
            return true
        }
        return valid ? output : nil
    }

    private static func decodeTable(for alphabet: [UInt8]) -> [UInt8] {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }
}
