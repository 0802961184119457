import OutreachCore
import Testing

@Suite("Assistant: Italian phrasings")
struct AssistantItalianPhrasesTests {
    static let phrases: [Phrase] = [
        // SPEC §9 examples
        Phrase("Attiva email outreach", .manageChannels, channels: [.email], changes: [.init(.email, .enable)]),
        Phrase("Iscrivi lead nuovi alla sequenza intro", .enrollEntity, sequence: "intro", filter: .newLeads),
        Phrase("Stato outreach Farmacia Rossi?", .checkStatus, entities: ["lead:1"]),
        Phrase("Metriche outreach", .outreachMetrics),
        Phrase("Manda followup a TechShop", .sendMessage, entities: ["prospect:2"], template: "followup"),
        Phrase("Disabilita WhatsApp, uso solo email", .manageChannels, channels: [.whatsapp, .email],
               changes: [.init(.email, .enable), .init(.whatsapp, .disable), .init(.telegram, .disable)]),
        Phrase("Quali template ho?", .listTemplates),
        // enrollments, other word orders
        Phrase("Iscrivi i nuovi lead alla sequenza Intro", .enrollEntity, sequence: "intro", filter: .newLeads),
        Phrase("Iscrivi i prospect alla sequenza intro", .enrollEntity, sequence: "intro",
               filter: ContactFilter(entityType: .prospect)),
        Phrase("Iscrivi Farmacia Rossi e TechShop alla sequenza intro", .enrollEntity,
               entities: ["lead:1", "prospect:2"], sequence: "intro"),
        Phrase("Iscrivi Mario alla sequenza intro", .enrollEntity, entities: ["lead:3"], sequence: "intro"),
        Phrase("iscrivi lead:1 alla sequenza intro", .enrollEntity, entities: ["lead:1"], sequence: "intro"),
        Phrase("Aggiungi TechShop alla sequenza riattivazione", .enrollEntity, entities: ["prospect:2"], sequence: "riattivazione"),
        Phrase("alla sequenza intro iscrivi farmacia rosi", .enrollEntity, entities: ["lead:1"], sequence: "intro"),
        // pause, resume, cancel
        Phrase("Metti in pausa la sequenza per Farmacia Rossi", .pauseEnrollment, entities: ["lead:1"]),
        Phrase("Metti in pausa TechShop nella sequenza intro", .pauseEnrollment, entities: ["prospect:2"], sequence: "intro"),
        Phrase("Sospendi TechShop", .pauseEnrollment, entities: ["prospect:2"]),
        Phrase("Riprendi la sequenza per Farmacia Rossi", .resumeEnrollment, entities: ["lead:1"]),
        Phrase("Riprendi l'outreach di Mario Rossi", .resumeEnrollment, entities: ["lead:3"]),
        Phrase("Annulla l'iscrizione di TechShop", .cancelEnrollment, entities: ["prospect:2"]),
        Phrase("Annulla TechShop dalla sequenza riattivazione", .cancelEnrollment, entities: ["prospect:2"],
               sequence: "riattivazione"),
        Phrase("Disattiva TechShop", .pauseEnrollment, entities: ["prospect:2"]),
        // sends
        Phrase("Manda followup via whatsapp a TechShop", .sendMessage, entities: ["prospect:2"], template: "followup-wa",
               channels: [.whatsapp]),
        Phrase("Invia il template intro-email a Farmacia Rossi", .sendMessage, entities: ["lead:1"], template: "intro-email"),
        Phrase("a techshop manda il followup", .sendMessage, entities: ["prospect:2"], template: "followup"),
        // status, tolerant names
        Phrase("stato outreach farmacia rosi", .checkStatus, entities: ["lead:1"]),
        Phrase("STATO OUTREACH TECHSHOP", .checkStatus, entities: ["prospect:2"]),
        Phrase("Stato di Techshpo", .checkStatus, entities: ["prospect:2"]),
        Phrase("Stato di Caffe Citta", .checkStatus, entities: ["lead:4"]),
        Phrase("Stato di Giulia", .checkStatus, entities: ["lead:1"]),
        Phrase("A che punto è Farmacia Rossi?", .checkStatus, entities: ["lead:1"]),
        Phrase("Situazione di Luca Bianchi", .checkStatus, entities: ["lead:4"]),
        // channels
        Phrase("Spegni telegram", .manageChannels, channels: [.telegram], changes: [.init(.telegram, .disable)]),
        Phrase("Accendi whatsapp", .manageChannels, channels: [.whatsapp], changes: [.init(.whatsapp, .enable)]),
        Phrase("Abilita Telegram", .manageChannels, channels: [.telegram], changes: [.init(.telegram, .enable)]),
        Phrase("Disabilita il canale tg", .manageChannels, channels: [.telegram], changes: [.init(.telegram, .disable)]),
        Phrase("Attiva WhatsApp e Telegram", .manageChannels, channels: [.whatsapp, .telegram],
               changes: [.init(.whatsapp, .enable), .init(.telegram, .enable)]),
        Phrase("Attiva la posta", .manageChannels, channels: [.email], changes: [.init(.email, .enable)]),
        Phrase("Disattiva whats app", .manageChannels, channels: [.whatsapp], changes: [.init(.whatsapp, .disable)]),
        Phrase("usa solo tg", .manageChannels, channels: [.telegram],
               changes: [.init(.email, .disable), .init(.whatsapp, .disable), .init(.telegram, .enable)]),
        Phrase("Quali canali ho?", .manageChannels),
        // lists
        Phrase("Quali sequenze ho?", .listSequences),
        Phrase("Elenca le sequenze", .listSequences),
        Phrase("Quali sono le mie sequenze?", .listSequences),
        Phrase("Mostrami i template whatsapp", .listTemplates, channels: [.whatsapp]),
        Phrase("Che modelli email ho?", .listTemplates, channels: [.email]),
        // metrics and periods
        Phrase("metriche email di questa settimana", .outreachMetrics, channels: [.email], period: .thisWeek),
        Phrase("Quanti messaggi abbiamo inviato oggi?", .outreachMetrics, period: .today),
        Phrase("Statistiche di ieri", .outreachMetrics, period: .yesterday),
        Phrase("metriche ultimi 30 giorni", .outreachMetrics, period: .lastDays(30)),
        Phrase("metriche telegram negli ultimi 14 giorni", .outreachMetrics, channels: [.telegram], period: .lastDays(14)),
        Phrase("Metriche di questo mese", .outreachMetrics, period: .thisMonth),
        Phrase("Metriche della sequenza intro degli ultimi 7 giorni", .outreachMetrics, sequence: "intro", period: .lastDays(7)),
    ]

    @Test(arguments: phrases)
    func parses(_ phrase: Phrase) {
        expectParses(phrase, language: .it)
    }
}
