/// The address forms Resend accepts: `a@b.c` or `Name <a@b.c>` (the name may be quoted).
enum EmailAddress {
    /// Whether `value` is an address Resend would accept.
    static func isValid(_ value: String) -> Bool {
        var candidate = Substring(value).trimmingSpaces
        if candidate.hasSuffix(">"), let open = candidate.lastIndex(of: "<") {
            candidate = candidate[candidate.index(after: open)..<candidate.index(before: candidate.endIndex)]
        }
        return isBareAddress(candidate)
    }

    /// Bytes that could break a header (all ASCII, so a byte test is exact).
    private static let forbidden = Set(" \t\r\n<>,;\"()[]\\".utf8)

    /// The `addr-spec` alone: a local part, one `@`, a dotted domain, nothing that could
    /// break a header.
    private static func isBareAddress(_ address: Substring) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let local = address[..<at]
        let domain = address[address.index(after: at)...]
        guard !local.isEmpty, local.utf8.count <= 64, !domain.isEmpty, domain.utf8.count <= 253 else { return false }
        // Bytes, not `local.contains("@")`: a `String` argument goes through Foundation's
        // locale-aware search, about a third of the sandbox's cost of validating an email.
        guard !address.utf8.contains(where: forbidden.contains), !local.utf8.contains(UInt8(ascii: "@")) else { return false }
        guard !local.hasPrefix("."), !local.hasSuffix("."), !hasDoubleDot(local) else { return false }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.utf8.count <= 63, !label.hasPrefix("-"), !label.hasSuffix("-") else { return false }
            guard allSatisfy(label, ascii: { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") },
                             unicode: { $0.isLetter || $0.isNumber || $0 == "-" }) else { return false }
        }
        return allSatisfy(labels.last!, ascii: isLetter, unicode: \.isLetter) || labels.last!.hasPrefix("xn--")
    }

    /// `unicode` over the characters of `text`, or `ascii` over its bytes when all are ASCII:
    /// there the two agree, and the byte test skips the Unicode property tables (most domains).
    private static func allSatisfy(_ text: Substring, ascii: (UInt8) -> Bool, unicode: (Character) -> Bool) -> Bool {
        text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.allSatisfy(ascii) : text.allSatisfy(unicode)
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    /// Whether `text` has two dots in a row, byte by byte (`contains("..")` goes through
    /// Foundation's locale-aware search, a visible share of the sandbox's profile).
    private static func hasDoubleDot(_ text: Substring) -> Bool {
        var previousWasDot = false
        for byte in text.utf8 {
            let isDot = byte == UInt8(ascii: ".")
            if isDot && previousWasDot { return true }
            previousWasDot = isDot
        }
        return false
    }

    /// The bare address of `Name <a@b.c>`, or the value itself.
    static func bare(_ value: String) -> String {
        let trimmed = Substring(value).trimmingSpaces
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            return String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        }
        return String(trimmed)
    }
}

extension StringProtocol {
    /// Whether `needle` occurs in the text, compared byte by byte. With Foundation imported
    /// anywhere in the module, `contains(_:)` with a `String` goes through its locale-aware
    /// search, which showed in the sandbox's profile on every request.
    func hasBytes(_ needle: String) -> Bool {
        let text = Array(utf8), pattern = Array(needle.utf8)
        guard !pattern.isEmpty else { return true }
        guard text.count >= pattern.count else { return false }
        return (0...(text.count - pattern.count)).contains { start in text[start..<(start + pattern.count)].elementsEqual(pattern) }
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result = result.dropFirst() }
        while let last = result.last, last == " " || last == "\t" { result = result.dropLast() }
        return result
    }
}
