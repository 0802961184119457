import Foundation
import OutreachCore
import Testing

/// The native trims agree with Foundation's, which they replace on the render path.
@Suite struct TrimmingTests {
    static let samples = [
        "", " ", "\t\n", "abc", "  abc  ", "\tA b\t", "\n line \n", " \u{00A0}nbsp\u{3000} ", "\u{2028}x\u{2029}",
        "e\u{301} ", " \u{301}e", "Acme Srl ", "\r\n\r\nmulti\nline\r\n", "\u{85}next\u{85}", "😀 ", " 🇮🇹",
    ]

    @Test(arguments: samples)
    func spacesAsFoundation(_ text: String) {
        #expect(text.trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
        #expect(text[...].trimmingSpaces() == text.trimmingCharacters(in: .whitespaces))
    }

    @Test(arguments: samples)
    func whitespaceAsFoundation(_ text: String) {
        #expect(text.trimmingWhitespace() == text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The ASCII fast paths answer exactly as the Unicode property table, for every scalar.
    @Test func scalarClassesMatchUnicodeProperties() {
        var mismatches: [UInt32] = []
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.isWhitespaceScalar != scalar.properties.isWhitespace
                || scalar.isAlphabeticScalar != scalar.properties.isAlphabetic {
                mismatches.append(value)
            }
        }
        #expect(mismatches == [])
    }
}
