import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Testing

/// Many phrasings, Italian and English, run one after another against one real workspace: each
/// maps to its intent and is carried out (or answered) without an error.
@Suite("Assistant: phrasings on a real database")
struct AssistantPhrasingTests {
    static let italian: [(String, Intent)] = [
        ("Attiva email outreach", .manageChannels), ("Accendi whatsapp", .manageChannels), ("Abilita Telegram", .manageChannels),
        ("Iscrivi i nuovi lead alla sequenza Intro", .enrollEntity),
        ("Iscrivi Farmacia Rossi e TechShop alla sequenza intro", .enrollEntity),
        ("iscrivi lead:1 alla sequenza intro", .enrollEntity), ("Iscrivi Mario alla sequenza intro", .enrollEntity),
        ("Metti in pausa la sequenza per Farmacia Rossi", .pauseEnrollment), ("Sospendi TechShop", .pauseEnrollment),
        ("Riprendi la sequenza per Farmacia Rossi", .resumeEnrollment), ("Riprendi l'outreach di Mario Rossi", .resumeEnrollment),
        ("Invia il template intro-email a Farmacia Rossi", .sendMessage), ("a techshop manda il followup", .sendMessage),
        ("Manda followup via whatsapp a TechShop", .sendMessage),
        ("stato outreach farmacia rosi", .checkStatus), ("STATO OUTREACH TECHSHOP", .checkStatus), ("Stato di Techshpo", .checkStatus),
        ("Stato di Caffe Citta", .checkStatus), ("A che punto è Farmacia Rossi?", .checkStatus),
        ("Situazione di Luca Bianchi", .checkStatus),
        ("Quali canali ho?", .manageChannels), ("Quali sequenze ho?", .listSequences), ("Elenca le sequenze", .listSequences),
        ("Mostrami i template whatsapp", .listTemplates), ("Che modelli email ho?", .listTemplates),
        ("metriche email di questa settimana", .outreachMetrics), ("Quanti messaggi abbiamo inviato oggi?", .outreachMetrics),
        ("Statistiche di ieri", .outreachMetrics), ("metriche ultimi 30 giorni", .outreachMetrics),
        ("Metriche di questo mese", .outreachMetrics),
        ("Annulla l'iscrizione di TechShop", .cancelEnrollment), ("Spegni telegram", .manageChannels),
    ]
    static let english: [(String, Intent)] = [
        ("Turn on email", .manageChannels), ("Enable WA", .manageChannels),
        ("Add TechShop to the intro sequence", .enrollEntity), ("Enroll all prospects in intro", .enrollEntity),
        ("ENROLL NEW LEADS INTO INTRO", .enrollEntity),
        ("Pause outreach for TechShop", .pauseEnrollment), ("Stop outreach to Techshop", .pauseEnrollment),
        ("Resume the sequence for Farmacia Rossi", .resumeEnrollment),
        ("Continue the intro sequence for TechShop", .resumeEnrollment),
        ("Send the followup-wa template to Farmacia Rossi", .sendMessage), ("send followup on whatsapp to techshop", .sendMessage),
        ("What's the status of Farmacia Rossi", .checkStatus), ("How is TechShop doing?", .checkStatus),
        ("Status of Caffè Città", .checkStatus), ("status farmacia rosi", .checkStatus),
        ("List my sequences", .listSequences), ("What sequences are there?", .listSequences),
        ("Show templates", .listTemplates), ("Which email templates do I have?", .listTemplates),
        ("whatsapp metrics last 7 days", .outreachMetrics), ("Show me the metrics for this month", .outreachMetrics),
        ("email stats this week", .outreachMetrics), ("Report of the last 14 days", .outreachMetrics),
        ("stats today", .outreachMetrics), ("How many emails did we send yesterday?", .outreachMetrics),
        ("Cancel the enrollment of Mario Rossi", .cancelEnrollment), ("Unenroll TechShop", .cancelEnrollment),
        ("Turn off WhatsApp and turn on Telegram", .manageChannels), ("Only use WhatsApp", .manageChannels),
    ]

    @Test(arguments: ["it", "en"]) func everyPhrasingActsOrAnswers(language: String) async throws {
        try await AssistantFixture.with { f in
            for (message, intent) in language == "it" ? Self.italian : Self.english {
                let r = try await f.ask(message)
                #expect(r.intent == intent.rawValue, "\(message)")
                #expect(r.language == language, "\(message)")
                #expect(!r.reply.isEmpty, "\(message)")
            }
            // The writes among them really happened.
            #expect(try await f.enrollments > 0)
            #expect(try await f.sendJobs > 0)
        }
    }

    @Test func channelFiltersApply() async throws {
        try await AssistantFixture.with { f in
            let r = try await f.ask("Mostrami i template whatsapp")
            #expect(r.reply.contains("followup-wa"))
            #expect(!r.reply.contains("intro-email"))
        }
    }
}

@Suite("Assistant: big workspaces")
struct AssistantBigWorkspaceTests {
    @Test func namesResolveAmongManyContacts() async throws {
        try await AssistantFixture.with { f in
            try await f.db.execute("""
                INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, company)
                SELECT $1, 'lead', 'f' || i, 'Filler ' || i, 'Filler Company ' || i FROM generate_series(1, 6000) i
                """, [f.workspace.id])
            let r = try await f.ask("Stato outreach Farmacia Rossi?")
            #expect(r.intent == "check_status")
            #expect(r.entities == ["lead:1"])
            let contacts = try await AssistantStore().contacts(for: "Stato outreach Farmacia Rossi?", workspace: f.workspace.id, on: f.db)
            #expect(contacts.count < 10)
        }
    }
}
