import Foundation
import OutreachCore
import Testing

@Suite("Assistant: replies in the message's language")
struct AssistantRepliesTests {
    typealias R = AssistantReplies

    @Test func channelNotEnabledSuggestsEnablingIt() {
        #expect(R.reply(.channelNotEnabled(.whatsapp), language: .it).contains("\"Attiva WhatsApp\""))
        #expect(R.reply(.channelNotEnabled(.email), language: .en).contains("\"Enable email\""))
    }

    @Test func providerNotConfiguredExplains() {
        #expect(R.reply(.providerNotConfigured(.telegram), language: .it).contains("credenziali"))
        #expect(R.reply(.providerNotConfigured(.telegram), language: .en).contains("credentials are missing"))
    }

    @Test func consentMissingWarnsAndSaysNothingWasSent() {
        let it = R.reply(.consentMissing(channel: .email, contacts: ["TechShop", "Farmacia Rossi"]), language: .it)
        #expect(it.hasPrefix("Attenzione") && it.contains("Non ho inviato nulla") && it.contains("TechShop e Farmacia Rossi"))
        let en = R.reply(.consentMissing(channel: .email, contacts: ["TechShop"]), language: .en)
        #expect(en.hasPrefix("Warning") && en.contains("sent nothing"))
    }

    @Test func dailyLimitSuggestsTomorrow() {
        #expect(R.reply(.dailyLimitReached(channel: .email, limit: 100), language: .it).contains("Riprova domani"))
        #expect(R.reply(.dailyLimitReached(channel: .email, limit: 100), language: .en).contains("Try again tomorrow"))
    }

    @Test func killSwitchExplainsThatReadsStillWork() {
        #expect(R.reply(.killSwitchOn, language: .it).contains("kill switch"))
        #expect(R.reply(.killSwitchOn, language: .it).contains("funzionano ancora"))
        #expect(R.reply(.killSwitchOn, language: .en).contains("still work"))
    }

    @Test func successPerIntent() {
        let template = AssistantTemplate(name: "followup", channel: .email)
        let cases: [(AssistantOutcome, String, String)] = [
            (.enrolled(sequence: "intro", enrolled: 3, alreadyEnrolled: 1),
             "Iscritti 3 contatti alla sequenza intro (1 erano già iscritti).",
             "Enrolled 3 contacts in the intro sequence (1 were already enrolled)."),
            (.cancelled(count: 1, sequence: nil), "Annullate 1 iscrizioni.", "Cancelled 1 enrollments."),
            (.paused(count: 2, sequence: "intro"), "Messe in pausa 2 iscrizioni nella sequenza intro.",
             "Paused 2 enrollments in the intro sequence."),
            (.resumed(count: 1, sequence: nil), "Riprese 1 iscrizioni.", "Resumed 1 enrollments."),
            (.sendQueued(template: template, contacts: ["TechShop"]),
             "Invio del template followup via email a TechShop in coda.", "Queued the followup template via email to TechShop."),
            (.channelsChanged([ChannelChange(.email, .enable), ChannelChange(.whatsapp, .disable)]),
             "Canali aggiornati: email attivato, WhatsApp disattivato.", "Channels updated: email enabled, WhatsApp disabled."),
            (.sequences(["intro", "riattivazione"]), "Le tue sequenze:\n- intro\n- riattivazione",
             "Your sequences:\n- intro\n- riattivazione"),
            (.templates([template]), "I tuoi template:\n- followup (email)", "Your templates:\n- followup (email)"),
        ]
        for (outcome, it, en) in cases {
            #expect(R.reply(outcome, language: .it) == it)
            #expect(R.reply(outcome, language: .en) == en)
        }
    }

    @Test func statusListsEnrollments() {
        let line = AssistantOutcome.StatusLine(sequence: "intro", status: .active, step: 2, totalSteps: 3,
                                               nextRunAt: Date(timeIntervalSince1970: 1_767_225_600), lastEvent: "email delivered")
        let it = R.reply(.status(contact: "TechShop", enrollments: [line]), language: .it)
        #expect(it == "Stato di TechShop:\n- intro: attiva, passo 2/3, prossimo invio 2026-01-01 00:00:00 UTC, ultimo evento: email delivered")
        #expect(R.reply(.status(contact: "TechShop", enrollments: []), language: .en) == "TechShop is not enrolled in any sequence.")
    }

    @Test func metricsShowCountsAndRates() {
        let row = AssistantOutcome.MetricsRow(channel: .email, sent: 200, delivered: 190, opened: 80, replied: 10)
        let en = R.reply(.metrics(period: .lastDays(7), rows: [row]), language: .en)
        #expect(en.hasPrefix("Outreach metrics (last 7 days):\n- email: sent 200, delivered 190, opened 80"))
        #expect(en.hasSuffix("delivery 95.0%, open 40.0%, reply 5.0%"))
        #expect(R.reply(.metrics(period: .thisWeek, rows: []), language: .it) == "Metriche outreach (questa settimana): nessun invio.")
    }

    @Test func clarificationReplyIsItsQuestion() {
        let clarification = Clarification(.missing(.sequence), language: .it)
        #expect(R.reply(.clarification(clarification), language: .it) == "Quale sequenza?")
    }
}
