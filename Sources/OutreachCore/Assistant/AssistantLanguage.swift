/// The language a message is written in; replies use the same one.
public enum AssistantLanguage: String, Sendable, Hashable, Codable, CaseIterable {
    case it, en

    /// Detects Italian or English from folded words by counting marker words of each;
    /// a tie (e.g. a bare "WhatsApp") gives `fallback`.
    static func detect(_ tokens: [String], fallback: AssistantLanguage) -> AssistantLanguage {
        var it = 0, en = 0
        for token in tokens {
            if italianMarkers.contains(token) { it += 1 }
            if englishMarkers.contains(token) { en += 1 }
        }
        if it == en { return fallback }
        return it > en ? .it : .en
    }

    private static let italianMarkers: Set<String> = [
        "il", "lo", "la", "i", "gli", "le", "di", "del", "della", "dei", "delle", "a", "al", "alla", "ai", "alle",
        "da", "dal", "dalla", "in", "nella", "nel", "per", "con", "che", "chi", "come", "quali", "quale", "quanti",
        "quante", "ho", "abbiamo", "sono", "e", "uso", "solo", "stato", "metriche", "statistiche", "iscrivi",
        "iscrizione", "sequenza", "sequenze", "manda", "invia", "mandare", "inviare", "attiva", "abilita",
        "disattiva", "disabilita", "spegni", "accendi", "pausa", "metti", "riprendi", "annulla", "cancella",
        "nuovi", "nuove", "oggi", "ieri", "questa", "questo", "settimana", "mese", "ultimi", "ultima", "ultimo",
        "giorni", "ciao", "tempo", "fa", "mi", "una", "un", "modelli", "mostra", "mostrami", "elenca", "dammi",
        "posta", "sospendi", "togli", "rimuovi", "aggiungi", "ferma", "continua", "situazione", "punto", "grazie",
        "buongiorno", "barzelletta", "raccontami", "tutti", "miei", "mie",
    ]

    private static let englishMarkers: Set<String> = [
        "the", "a", "an", "of", "for", "to", "in", "on", "with", "what", "which", "how", "many", "do", "does", "i",
        "have", "my", "is", "are", "and", "only", "use", "status", "metrics", "stats", "enroll", "enrol", "send",
        "sequence", "sequences", "templates", "enable", "disable", "turn", "off", "pause", "resume", "cancel",
        "new", "leads", "today", "yesterday", "this", "week", "month", "last", "past", "days", "hello", "hi",
        "weather", "tell", "me", "joke", "show", "list", "give", "stop", "remove", "add", "unenroll", "please",
        "thanks", "all", "s", "it", "whats", "there", "by", "via", "from",
    ]
}
