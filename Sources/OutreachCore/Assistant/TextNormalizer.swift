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
        let folded = fold(text)
        var result: [String] = []
        var current = ""
        for scalar in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                current.unicodeScalars.append(scalar)
            } else if !current.isEmpty {
                result.append(current)
                current = ""
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// Lower case with diacritics removed ("Città" → "citta").
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil).lowercased()
    }
}
