/// The words the parser recognises, Italian and English, already folded (internal).
enum IntentVocabulary {
    static let cancel: Set<String> = [
        "annulla", "annullare", "annullami", "cancella", "cancellare", "disiscrivi", "disiscrivere", "rimuovi",
        "rimuovere", "togli", "togliere", "elimina", "cancel", "unenroll", "unenrol", "remove", "withdraw", "drop",
    ]
    static let pause: Set<String> = [
        "pausa", "sospendi", "sospendere", "ferma", "fermare", "blocca", "pause", "suspend", "hold", "stop", "halt",
    ]
    static let resume: Set<String> = [
        "riprendi", "riprendere", "ripristina", "continua", "continuare", "riavvia", "resume", "unpause",
        "restart", "continue",
    ]
    static let enrollPrefixes = ["iscriv", "enrol"]
    static let enrollWords: Set<String> = ["aggiungi", "inserisci", "metti", "add", "put", "subscribe", "avvia", "start"]
    static let send: Set<String> = [
        "manda", "mandare", "mandagli", "mandale", "invia", "inviare", "inviagli", "spedisci", "spedire", "send",
    ]
    static let metrics: Set<String> = [
        "metriche", "metrica", "statistiche", "statistica", "stat", "stats", "metrics", "analytics", "analitiche",
        "report", "performance", "prestazioni", "risultati", "results", "tasso", "tassi", "rate", "rates", "kpi",
    ]
    static let metricsPhrases: [[String]] = [["quante", "email"], ["quanti", "messaggi"], ["how", "many"]]
    static let status: Set<String> = ["stato", "status", "situazione", "progress", "progresso", "andamento"]
    static let statusPhrases: [[String]] = [
        ["a", "che", "punto"], ["how", "is"], ["how", "s"], ["where", "is"], ["what", "about"], ["come", "va"],
    ]
    static let templates: Set<String> = ["template", "templates", "modelli", "modello"]
    static let sequences: Set<String> = ["sequenze", "sequences", "campagne", "campaigns"]
    static let sequenceWords: Set<String> = ["sequenza", "sequence", "campagna", "campaign", "sequenze", "sequences"]
    static let listCues: Set<String> = [
        "quali", "quale", "che", "elenca", "elenco", "lista", "mostra", "mostrami", "dammi", "vedi", "ho", "abbiamo",
        "which", "what", "list", "show", "have", "available", "disponibili", "miei", "mie", "my",
    ]
    static let channelNouns: Set<String> = ["canale", "canali", "channel", "channels"]

    static let enable: Set<String> = [
        "attiva", "attivare", "abilita", "abilitare", "accendi", "riattiva", "riabilita", "enable", "activate",
        "reenable",
    ]
    static let disable: Set<String> = [
        "disattiva", "disattivare", "disabilita", "disabilitare", "spegni", "spegnere", "disable", "deactivate",
    ]
    static let enablePhrases: [[String]] = [["turn", "on"], ["switch", "on"]]
    static let disablePhrases: [[String]] = [["turn", "off"], ["switch", "off"]]
    /// "uso solo email", "I only use email", "solo email", "only email".
    static let exclusiveLead: [[String]] = [
        ["uso", "solo"], ["usa", "solo"], ["usiamo", "solo"], ["solo"], ["soltanto"], ["only", "use"], ["use", "only"],
        ["only"],
    ]

    /// Channel names and their Italian and short forms.
    static let channels: [([String], Channel)] = [
        (["whats", "app"], .whatsapp), (["e", "mail"], .email), (["posta", "elettronica"], .email),
        (["email"], .email), (["emails"], .email), (["mail"], .email), (["mails"], .email), (["posta"], .email),
        (["whatsapp"], .whatsapp), (["wa"], .whatsapp), (["telegram"], .telegram), (["tg"], .telegram),
    ]

    /// Words that belong to the request, never to a contact's name.
    static let keywords: Set<String> = [
        "outreach", "iscrizione", "iscrizioni", "enrollment", "enrolment", "enrollments", "contatto", "contatti",
        "contact", "contacts", "cliente", "clienti", "customer", "messaggio", "messaggi", "message", "messages",
        "canale", "channel", "sequenza", "sequence", "campagna", "campaign", "lead", "leads", "prospect",
        "prospects", "template", "modello", "please", "favore", "grazie", "thanks", "dei", "degli",
    ]

    /// Function words, never the start or end of a name.
    static let stopwords: Set<String> = [
        "il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una", "di", "del", "dello", "della", "dei", "degli",
        "delle", "d", "a", "al", "allo", "alla", "ai", "agli", "alle", "da", "dal", "dalla", "dai", "in", "nel",
        "nello", "nella", "nei", "nelle", "su", "sul", "sulla", "per", "con", "tra", "fra", "e", "ed", "o", "che",
        "mi", "ti", "ci", "si", "me", "te", "ne", "ho", "hai", "ha", "abbiamo", "mio", "mia", "miei", "mie", "suo",
        "sua", "tutti", "tutte", "ora", "adesso", "subito", "anche", "the", "an", "of", "for", "to", "on", "at",
        "by", "with", "and", "or", "me", "my", "our", "i", "we", "is", "are", "be", "all", "now", "it", "its",
        "do", "does", "s", "via", "from", "into", "this", "that", "please", "per", "favore", "po", "un", "qual",
        "quali", "what", "which", "about", "up",
    ]
}
