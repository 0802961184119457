/// The words of one message and which of them the parser has already explained (internal).
///
/// Each stage (intent cues, periods, filters, names, channels) consumes the words it uses, so
/// that the words left over are the ones that can name contacts.
struct MessageScan {
    /// The words as written (for quoting them back).
    let raw: [String]
    /// The same words folded (lower case, no diacritics).
    let words: [String]
    private(set) var consumed: [Bool]

    init(_ message: String, maxWords: Int) {
        var raw: [String] = []
        var words: [String] = []
        for word in Self.split(message) {
            let folded = NormalizedText.words(word).joined()
            guard !folded.isEmpty else { continue }
            raw.append(word)
            words.append(folded)
            if words.count == maxWords { break }
        }
        self.raw = raw
        self.words = words
        consumed = Array(repeating: false, count: words.count)
    }

    private static func split(_ text: String) -> [String] {
        text.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
    }

    var count: Int { words.count }

    func isFree(_ index: Int) -> Bool { !consumed[index] }

    func isFree(_ range: Range<Int>) -> Bool { range.allSatisfy { !consumed[$0] } }

    mutating func consume(_ range: Range<Int>) {
        for i in range { consumed[i] = true }
    }

    mutating func consume(_ index: Int) { consumed[index] = true }

    /// The original spelling of a range of words, joined by spaces.
    func quote(_ range: Range<Int>) -> String { raw[range].joined(separator: " ") }

    /// Where the phrase occurs (consecutive words, all still free), first occurrence.
    func find(_ phrase: [String]) -> Range<Int>? {
        guard !phrase.isEmpty, phrase.count <= count else { return nil }
        for start in 0...(count - phrase.count) {
            let range = start..<(start + phrase.count)
            if isFree(range), zip(range, phrase).allSatisfy({ words[$0.0] == $0.1 }) { return range }
        }
        return nil
    }

    /// The first free word in `set`.
    func first(in set: Set<String>) -> Int? {
        words.indices.first { isFree($0) && set.contains(words[$0]) }
    }

    /// The first free word starting with one of `prefixes`.
    func first(prefixedBy prefixes: [String]) -> Int? {
        words.indices.first { i in isFree(i) && prefixes.contains { words[i].hasPrefix($0) } }
    }

    /// Consumes the first occurrence of any of the phrases (multi-word or single); true if one was found.
    @discardableResult
    mutating func consumeAny(_ phrases: [[String]]) -> Bool {
        for phrase in phrases {
            if let range = find(phrase) {
                consume(range)
                return true
            }
        }
        return false
    }

    /// Consumes every free word in `set`; true if there was at least one.
    @discardableResult
    mutating func consumeAll(in set: Set<String>) -> Bool {
        var found = false
        for i in words.indices where isFree(i) && set.contains(words[i]) {
            consume(i)
            found = true
        }
        return found
    }
}
