/// Finds names (contacts, sequences, templates) among a message's free words, typo-tolerant (internal).
enum NameMatcher {
    /// A candidate name split for comparison once per message.
    struct Name {
        var words: [[UInt32]]
        var joined: [UInt32]
        var item: Int

        init(words: [String], item: Int) {
            self.words = words.map(FuzzyMatch.codes)
            joined = FuzzyMatch.codes(words.joined())
            self.item = item
        }
    }

    /// Names for the candidates at these positions (their folded words).
    static func prepare(_ strings: [(words: [String], item: Int)]) -> [Name] {
        strings.filter { !$0.words.isEmpty }.map { Name(words: $0.words, item: $0.item) }
    }

    /// A name found at `range`, at edit distance `distance`, naming the candidates at `items`.
    struct Match {
        var range: Range<Int>
        var distance: Int
        var items: [Int]
    }

    /// Whole-name matches, best first, without overlaps: lower distance first, then longer spans.
    ///
    /// Each candidate name is compared, with spaces removed, to windows of one word fewer to one
    /// word more than it has, so "Tech Shop" finds "TechShop" and the reverse. A window never
    /// starts or ends on a function word.
    static func wholeNames(_ names: [Name], in scan: MessageScan) -> [Match] {
        // Every usable window once: free words, not starting or ending on a function word.
        let widest = min(scan.count, (names.map(\.words.count).max() ?? 0) + 1)
        var windows: [Int: [(range: Range<Int>, joined: [UInt32])]] = [:]
        if widest > 0 {
            for width in 1...widest {
                for start in 0...(scan.count - width) {
                    let range = start..<(start + width)
                    guard scan.isFree(range),
                          !IntentVocabulary.stopwords.contains(scan.words[range.lowerBound]),
                          !IntentVocabulary.stopwords.contains(scan.words[range.upperBound - 1]) else { continue }
                    windows[width, default: []].append((range, FuzzyMatch.codes(scan.words[range].joined())))
                }
            }
        }
        var found: [Range<Int>: Match] = [:]
        for name in names {
            let k = name.words.count
            for width in max(1, k - 1)...(k + 1) {
                for window in windows[width] ?? [] {
                    guard let d = FuzzyMatch.distance(window.joined, name.joined) else { continue }
                    let range = window.range
                    if var existing = found[range] {
                        if d < existing.distance { existing = Match(range: range, distance: d, items: [name.item]) }
                        else if d == existing.distance, !existing.items.contains(name.item) { existing.items.append(name.item) }
                        found[range] = existing
                    } else {
                        found[range] = Match(range: range, distance: d, items: [name.item])
                    }
                }
            }
        }
        let ordered = found.values.sorted {
            ($0.distance, -$0.range.count, $0.range.lowerBound) < ($1.distance, -$1.range.count, $1.range.lowerBound)
        }
        var taken = Set<Int>()
        var result: [Match] = []
        for match in ordered where match.range.allSatisfy({ !taken.contains($0) }) {
            taken.formUnion(match.range)
            result.append(match)
        }
        return result.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// Runs of free words that are neither function words nor request keywords: what may be a
    /// partial or unknown name.
    static func residualSpans(in scan: MessageScan) -> [Range<Int>] {
        var spans: [Range<Int>] = []
        var start: Int?
        for i in 0...scan.count {
            let usable = i < scan.count && scan.isFree(i)
                && !IntentVocabulary.stopwords.contains(scan.words[i]) && !IntentVocabulary.keywords.contains(scan.words[i])
            if usable, start == nil { start = i }
            if !usable, let s = start {
                spans.append(s..<i)
                start = nil
            }
        }
        return spans
    }

    /// Candidates having a word that matches `word`: exact matches when there are any, else
    /// typo-tolerant ones ("Mario" finds Mario, not Marco, when both exist). Words under 3 letters
    /// match nothing.
    static func partial(_ word: String, _ names: [Name]) -> Set<Int> {
        guard word.count >= 3 else { return [] }
        let word = FuzzyMatch.codes(word)
        var exact = Set<Int>(), near = Set<Int>()
        for name in names {
            for candidate in name.words where candidate.count >= 3 {
                if candidate == word { exact.insert(name.item) }
                else if FuzzyMatch.distance(word, candidate) != nil { near.insert(name.item) }
            }
        }
        return exact.isEmpty ? near : exact
    }
}
