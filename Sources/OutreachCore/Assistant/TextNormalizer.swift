import Foundation

/// A message reduced to comparable words: lower case, diacritics folded, punctuation dropped.
///
/// Internal to the parser; names from the context go through the same folding so that
/// "Citta" matches "Città" and "TechShop" matches "techshop".
struct NormalizedText: Sendable {
    /// The folded words, in order.
    let tokens: [String]

    init(_ text: String, maxTokens: Int = 200) {
        tokens = Array(Self.words(text).prefix(maxTokens))
    }

    /// Folds case, diacritics and width, then splits on anything that is not a letter or digit.
    static func words(_ text: String) -> [String] {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return asciiWords(text) }   // the common case, 20× faster
        var result: [String] = []
        var current = ""
        for character in fold(text) {
            if character.isLetter || character.isNumber {
                current.append(character)
            } else if !current.isEmpty {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    private static func asciiWords(_ text: String) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): current.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): current.append(byte + 32)
            default:
                if !current.isEmpty {
                    result.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                }
            }
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    /// Lower case with diacritics removed ("Città" → "citta").
    static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        return text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }
}
