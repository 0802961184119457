import OutreachCore
import Testing

@Suite("Assistant: English phrasings")
struct AssistantEnglishPhrasesTests {
    static let phrases: [Phrase] = [
        // SPEC §9 examples in English
        Phrase("Enable email outreach", .manageChannels, channels: [.email], changes: [.init(.email, .enable)]),
        Phrase("Enroll new leads in the intro sequence", .enrollEntity, sequence: "intro", filter: .newLeads),
        Phrase("Outreach status for Farmacia Rossi?", .checkStatus, entities: ["lead:1"]),
        Phrase("Outreach metrics", .outreachMetrics),
        Phrase("Send followup to TechShop", .sendMessage, entities: ["prospect:2"], template: "followup"),
        Phrase("Disable WhatsApp, I only use email", .manageChannels, channels: [.whatsapp, .email],
               changes: [.init(.email, .enable), .init(.whatsapp, .disable), .init(.telegram, .disable)]),
        Phrase("Which templates do I have?", .listTemplates),
        // enrollments
        Phrase("Add TechShop to the intro sequence", .enrollEntity, entities: ["prospect:2"], sequence: "intro"),
        Phrase("Put Farmacia Rossi in the riattivazione sequence", .enrollEntity, entities: ["lead:1"],
               sequence: "riattivazione"),
        Phrase("Enroll all prospects in intro", .enrollEntity, sequence: "intro", filter: ContactFilter(entityType: .prospect)),
        Phrase("ENROLL NEW LEADS INTO INTRO", .enrollEntity, sequence: "intro", filter: .newLeads),
        // pause, resume, cancel
        Phrase("Pause outreach for TechShop", .pauseEnrollment, entities: ["prospect:2"]),
        Phrase("Stop outreach to Techshop", .pauseEnrollment, entities: ["prospect:2"]),
        Phrase("Resume the sequence for Farmacia Rossi", .resumeEnrollment, entities: ["lead:1"]),
        Phrase("Continue the intro sequence for TechShop", .resumeEnrollment, entities: ["prospect:2"], sequence: "intro"),
        Phrase("Cancel the enrollment of Mario Rossi", .cancelEnrollment, entities: ["lead:3"]),
        Phrase("Unenroll TechShop", .cancelEnrollment, entities: ["prospect:2"]),
        // sends
        Phrase("Send the followup-wa template to Farmacia Rossi", .sendMessage, entities: ["lead:1"], template: "followup-wa"),
        Phrase("send followup on whatsapp to techshop", .sendMessage, entities: ["prospect:2"], template: "followup-wa",
               channels: [.whatsapp]),
        // status
        Phrase("What's the status of Farmacia Rossi", .checkStatus, entities: ["lead:1"]),
        Phrase("How is TechShop doing?", .checkStatus, entities: ["prospect:2"]),
        Phrase("Status of Caffè Città", .checkStatus, entities: ["lead:4"]),
        Phrase("status farmacia rosi", .checkStatus, entities: ["lead:1"]),
        // channels
        Phrase("Turn on email", .manageChannels, channels: [.email], changes: [.init(.email, .enable)]),
        Phrase("Turn off WhatsApp and turn on Telegram", .manageChannels, channels: [.whatsapp, .telegram],
               changes: [.init(.whatsapp, .disable), .init(.telegram, .enable)]),
        Phrase("Enable WA", .manageChannels, channels: [.whatsapp], changes: [.init(.whatsapp, .enable)]),
        Phrase("Only use WhatsApp", .manageChannels, channels: [.whatsapp],
               changes: [.init(.email, .disable), .init(.whatsapp, .enable), .init(.telegram, .disable)]),
        // lists
        Phrase("List my sequences", .listSequences),
        Phrase("What sequences are there?", .listSequences),
        Phrase("Show templates", .listTemplates),
        Phrase("Which email templates do I have?", .listTemplates, channels: [.email]),
        // metrics and periods
        Phrase("whatsapp metrics last 7 days", .outreachMetrics, channels: [.whatsapp], period: .lastDays(7)),
        Phrase("Show me the metrics for this month", .outreachMetrics, period: .thisMonth),
        Phrase("email stats this week", .outreachMetrics, channels: [.email], period: .thisWeek),
        Phrase("Report of the last 14 days", .outreachMetrics, period: .lastDays(14)),
        Phrase("stats today", .outreachMetrics, period: .today),
        Phrase("How many emails did we send yesterday?", .outreachMetrics, channels: [.email], period: .yesterday),
    ]

    @Test(arguments: phrases)
    func parses(_ phrase: Phrase) {
        expectParses(phrase, language: .en)
    }

    @Test func atLeastSixtyDistinctPhrasingsOverall() {
        let all = Self.phrases.map(\.message) + AssistantItalianPhrasesTests.phrases.map(\.message)
        #expect(Set(all).count == all.count)
        #expect(all.count >= 60)
        #expect(Set(all.map { AssistantFixture.parse($0).intent }).count == Intent.allCases.count)
    }
}
