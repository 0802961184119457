/// Typo-tolerant comparison of folded words (internal to the parser).
enum FuzzyMatch {
    /// The most edits tolerated for a name of this length: none up to 3 characters, one up to 8,
    /// two beyond (so "rosi" finds "rossi" and "techshpo" finds "techshop").
    static func tolerance(forLength length: Int) -> Int {
        switch length {
        case ...3: 0
        case ...8: 1
        default: 2
        }
    }

    /// The edit distance when it is within `tolerance(forLength:)` of `target`, else nil.
    static func distance(_ word: String, _ target: String) -> Int? {
        distance(codes(word), codes(target))
    }

    /// A folded word as Unicode scalar values: comparing these is much cheaper than comparing Characters.
    static func codes(_ word: String) -> [UInt32] { word.unicodeScalars.map(\.value) }

    /// The same on characters already split (the parser compares many names against few windows).
    static func distance(_ word: [UInt32], _ target: [UInt32]) -> Int? {
        let limit = tolerance(forLength: target.count)
        guard abs(word.count - target.count) <= limit else { return nil }
        if word == target { return 0 }
        guard limit > 0 else { return nil }
        let d = damerauLevenshtein(word, target)
        return d <= limit ? d : nil
    }

    /// Optimal-string-alignment Damerau–Levenshtein distance (adjacent transpositions count one).
    static func damerauLevenshtein(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        let width = b.count + 1
        var d = [Int](repeating: 0, count: (a.count + 1) * width)
        for i in 0...a.count { d[i * width] = i }
        for j in 0...b.count { d[j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(d[(i - 1) * width + j] + 1, d[i * width + j - 1] + 1, d[(i - 1) * width + j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, d[(i - 2) * width + j - 2] + 1)
                }
                d[i * width + j] = value
            }
        }
        return d[a.count * width + b.count]
    }
}
