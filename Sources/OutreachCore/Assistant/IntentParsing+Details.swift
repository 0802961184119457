/// Periods and contact filters (internal).
extension IntentParsing {
    private static let numberWords: [String: Int] = [
        "uno": 1, "one": 1, "due": 2, "two": 2, "tre": 3, "three": 3, "sette": 7, "seven": 7, "dieci": 10, "ten": 10,
        "quattordici": 14, "fourteen": 14, "quindici": 15, "fifteen": 15, "trenta": 30, "thirty": 30,
        "novanta": 90, "ninety": 90,
    ]

    private func number(_ word: String) -> Int? {
        if let n = Int(word), (1...3650).contains(n) { return n }
        return Self.numberWords[word]
    }

    /// "oggi", "this week", "ultimi 7 giorni", "last 30 days", "7d", …
    mutating func extractPeriod() -> AssistantPeriod? {
        let fixed: [([String], AssistantPeriod)] = [
            (["questa", "settimana"], .thisWeek), (["this", "week"], .thisWeek), (["settimana", "corrente"], .thisWeek),
            (["questo", "mese"], .thisMonth), (["this", "month"], .thisMonth), (["mese", "corrente"], .thisMonth),
            (["ultima", "settimana"], .lastDays(7)), (["last", "week"], .lastDays(7)), (["past", "week"], .lastDays(7)),
            (["ultimo", "mese"], .lastDays(30)), (["last", "month"], .lastDays(30)), (["past", "month"], .lastDays(30)),
            (["settimana", "scorsa"], .lastDays(7)), (["scorsa", "settimana"], .lastDays(7)),
            (["mese", "scorso"], .lastDays(30)), (["scorso", "mese"], .lastDays(30)),
            (["settimana"], .thisWeek), (["week"], .thisWeek), (["mese"], .thisMonth), (["month"], .thisMonth),
            (["oggi"], .today), (["today"], .today), (["ieri"], .yesterday), (["yesterday"], .yesterday),
        ]
        for (phrase, period) in fixed {
            if let range = scan.find(phrase) {
                scan.consume(range)
                return period
            }
        }
        for lead in ["ultimi", "ultime", "last", "past", "previous", "scorsi", "precedenti"] {
            for i in scan.words.indices where scan.words[i] == lead && i + 2 < scan.count {
                guard let n = number(scan.words[i + 1]), ["giorni", "days", "day", "giorno"].contains(scan.words[i + 2]),
                      scan.isFree(i..<(i + 3)) else { continue }
                scan.consume(i..<(i + 3))
                if i > 0, ["negli", "nei", "in", "the", "over", "degli"].contains(scan.words[i - 1]) { scan.consume(i - 1) }
                return .lastDays(n)
            }
        }
        for i in scan.words.indices where scan.isFree(i) {
            let word = scan.words[i]
            if word.count >= 2, word.hasSuffix("d"), let n = number(String(word.dropLast())) {
                scan.consume(i)
                return .lastDays(n)
            }
        }
        return nil
    }

    /// "lead nuovi", "nuovi lead", "new leads", "prospect", "tutti i lead".
    mutating func extractFilter() -> ContactFilter? {
        var filter = ContactFilter()
        for i in scan.words.indices {
            switch scan.words[i] {
            case "lead", "leads": filter.entityType = .lead
            case "prospect", "prospects", "prospetti": filter.entityType = .prospect
            case "nuovi", "nuove", "nuovo", "nuova", "new": if scan.isFree(i) { filter.status = "new"; scan.consume(i) }
            default: continue
            }
        }
        return filter.status == nil && filter.entityType == nil ? nil : filter
    }
}
