import Foundation

/// The assistant's answers, in the message's language (pure: no I/O, no clock).
public enum AssistantReplies {
    /// The answer for what the engine did or refused to do.
    public static func reply(_ outcome: AssistantOutcome, language: AssistantLanguage) -> String {
        let l = Lang(language)
        switch outcome {
        case let .enrolled(sequence, enrolled, already):
            let extra = already > 0 ? l.t(" (\(already) erano già iscritti)", " (\(already) were already enrolled)") : ""
            return l.t("Iscritti \(enrolled) contatti alla sequenza \(sequence)\(extra).",
                       "Enrolled \(enrolled) contacts in the \(sequence) sequence\(extra).")
        case let .cancelled(count, sequence):
            return l.t("Annullate \(count) iscrizioni\(l.inSequence(sequence)).", "Cancelled \(count) enrollments\(l.inSequence(sequence)).")
        case let .paused(count, sequence):
            return l.t("Messe in pausa \(count) iscrizioni\(l.inSequence(sequence)).", "Paused \(count) enrollments\(l.inSequence(sequence)).")
        case let .resumed(count, sequence):
            return l.t("Riprese \(count) iscrizioni\(l.inSequence(sequence)).", "Resumed \(count) enrollments\(l.inSequence(sequence)).")
        case let .noEnrollment(contacts):
            return l.t("Nessuna iscrizione da modificare per \(l.list(contacts)).", "No enrollment to change for \(l.list(contacts)).")
        case let .sendQueued(template, contacts):
            return l.t("Invio del template \(template.name) via \(l.name(template.channel)) a \(l.list(contacts)) in coda.",
                       "Queued the \(template.name) template via \(l.name(template.channel)) to \(l.list(contacts)).")
        case let .status(contact, enrollments):
            return status(contact: contact, enrollments: enrollments, l)
        case let .channelsChanged(changes):
            let parts = changes.map { change in
                "\(l.name(change.channel)) " + (change.action == .enable ? l.t("attivato", "enabled") : l.t("disattivato", "disabled"))
            }
            return l.t("Canali aggiornati: ", "Channels updated: ") + parts.joined(separator: ", ") + "."
        case let .channels(states):
            guard !states.isEmpty else { return l.t("Nessun canale configurato.", "No channel is set up.") }
            let lines = states.map { s in
                "- \(l.name(s.channel)): " + (s.enabled ? l.t("attivo", "enabled") : l.t("disattivato", "disabled"))
                    + (s.configured ? "" : l.t(" (credenziali mancanti)", " (credentials missing)"))
                    + (s.dailyLimit.map { l.t(", limite \($0)/giorno", ", limit \($0)/day") } ?? "")
            }
            return l.t("I tuoi canali:\n", "Your channels:\n") + lines.joined(separator: "\n")
        case let .templates(templates):
            guard !templates.isEmpty else { return l.t("Non hai ancora template.", "You have no templates yet.") }
            return l.t("I tuoi template:\n", "Your templates:\n")
                + templates.map { "- \($0.name) (\(l.name($0.channel)))" }.joined(separator: "\n")
        case let .sequences(sequences):
            guard !sequences.isEmpty else { return l.t("Non hai ancora sequenze.", "You have no sequences yet.") }
            return l.t("Le tue sequenze:\n", "Your sequences:\n") + sequences.map { "- \($0)" }.joined(separator: "\n")
        case let .metrics(period, rows):
            return metrics(period: period, rows: rows, l)
        case let .channelNotEnabled(channel):
            return l.t("Il canale \(l.name(channel)) non è attivo per questo workspace, quindi non ho fatto nulla. "
                       + "Per attivarlo scrivi \"Attiva \(l.name(channel))\".",
                       "The \(l.name(channel)) channel is not enabled for this workspace, so I did nothing. "
                       + "To enable it, say \"Enable \(l.name(channel))\".")
        case let .providerNotConfigured(channel):
            return l.t("Il canale \(l.name(channel)) non è configurato: mancano le credenziali del provider. "
                       + "Chiedi all'operatore di configurarle, poi attivalo con \"Attiva \(l.name(channel))\".",
                       "The \(l.name(channel)) channel is not configured: the provider credentials are missing. "
                       + "Ask the operator to set them up, then enable it with \"Enable \(l.name(channel))\".")
        case let .consentMissing(channel, contacts):
            return l.t("Attenzione: manca il consenso \(l.name(channel)) per \(l.list(contacts)). Non ho inviato nulla a questi contatti.",
                       "Warning: \(l.list(contacts)) gave no \(l.name(channel)) consent. I sent nothing to them.")
        case let .dailyLimitReached(channel, limit):
            return l.t("Hai raggiunto il limite giornaliero di \(limit) invii \(l.name(channel)). Riprova domani, "
                       + "oppure alza il limite del canale.",
                       "The daily limit of \(limit) \(l.name(channel)) sends is reached. Try again tomorrow, "
                       + "or raise the channel's limit.")
        case .killSwitchOn:
            return l.t("Gli invii sono sospesi: il kill switch è attivo. Non ho inviato né modificato nulla; "
                       + "stato, metriche e liste funzionano ancora.",
                       "Sending is stopped: the kill switch is on. I sent and changed nothing; "
                       + "status, metrics and lists still work.")
        case .forbidden:
            return l.t("Non hai i permessi per questa richiesta.", "You are not allowed to do this.")
        case let .clarification(clarification):
            return clarification.question
        case .notOutreach:
            return notOutreach(language)
        }
    }

    /// The polite answer to a message that is not an outreach request.
    public static func notOutreach(_ language: AssistantLanguage) -> String {
        Lang(language).t(
            "Posso aiutarti solo con l'outreach: iscrizioni alle sequenze, invii, stato, canali, template e metriche. "
                + "Per esempio: \"Stato outreach Farmacia Rossi?\" o \"Quali template ho?\"",
            "I can only help with outreach: sequence enrollments, sends, status, channels, templates and metrics. "
                + "For example: \"Outreach status for Farmacia Rossi?\" or \"Which templates do I have?\"")
    }

    /// The question for something ambiguous, unknown or missing.
    public static func question(for reason: Clarification.Reason, language: AssistantLanguage) -> String {
        let l = Lang(language)
        switch reason {
        case let .ambiguousContact(query, candidates):
            return l.t("Ho trovato più contatti per \"\(query)\": ", "Several contacts match \"\(query)\": ")
                + candidates.map { "\($0.displayName) [\($0.entity)]" }.joined(separator: "; ")
                + l.t(". Quale intendi?", ". Which one do you mean?")
        case let .ambiguousSequence(query, candidates):
            return l.t("Più sequenze corrispondono a \"\(query)\": ", "Several sequences match \"\(query)\": ")
                + candidates.joined(separator: ", ") + l.t(". Quale intendi?", ". Which one do you mean?")
        case let .ambiguousTemplate(query, candidates):
            return l.t("Più template corrispondono a \"\(query)\": ", "Several templates match \"\(query)\": ")
                + candidates.map { "\($0.name) (\(l.name($0.channel)))" }.joined(separator: ", ")
                + l.t(". Su quale canale?", ". On which channel?")
        case let .unknownContact(query):
            return l.t("Non trovo nessun contatto \"\(query)\". Puoi indicare il nome esatto o l'azienda?",
                       "I can't find a contact \"\(query)\". Can you give the exact name or company?")
        case let .unknownSequence(query, available):
            return l.t("Non trovo la sequenza \"\(query)\".", "I can't find a sequence \"\(query)\".")
                + (available.isEmpty ? "" : l.t(" Sequenze disponibili: ", " Available sequences: ") + available.joined(separator: ", ") + ".")
        case let .unknownTemplate(query, available):
            return l.t("Non trovo il template \"\(query)\".", "I can't find a template \"\(query)\".")
                + (available.isEmpty ? "" : l.t(" Template disponibili: ", " Available templates: ")
                    + available.map { "\($0.name) (\(l.name($0.channel)))" }.joined(separator: ", ") + ".")
        case .missing(.target):
            return l.t("A quali contatti? Indica un nome, un'azienda o un filtro come \"lead nuovi\".",
                       "Which contacts? Give a name, a company or a filter such as \"new leads\".")
        case .missing(.sequence):
            return l.t("Quale sequenza?", "Which sequence?")
        case .missing(.template):
            return l.t("Quale template devo inviare?", "Which template should I send?")
        case .missing(.channel):
            return l.t("Quale canale? Email, WhatsApp o Telegram.", "Which channel? Email, WhatsApp or Telegram.")
        case .missing(.channelAction):
            return l.t("Vuoi attivarlo o disattivarlo?", "Do you want to enable or disable it?")
        case .emptyMessage:
            return l.t("Il messaggio è vuoto. Cosa posso fare per il tuo outreach?", "The message is empty. What can I do for your outreach?")
        case let .messageTooLong(limit):
            return l.t("Il messaggio è troppo lungo (massimo \(limit) caratteri). Scrivi una richiesta breve.",
                       "The message is too long (at most \(limit) characters). Please send a short request.")
        }
    }

    private static func status(contact: String, enrollments: [AssistantOutcome.StatusLine], _ l: Lang) -> String {
        guard !enrollments.isEmpty else {
            return l.t("\(contact) non è iscritto a nessuna sequenza.", "\(contact) is not enrolled in any sequence.")
        }
        let lines = enrollments.map { e in
            let step = e.totalSteps.map { "\(e.step)/\($0)" } ?? "\(e.step)"
            var line = "- \(e.sequence): \(l.status(e.status)), " + l.t("passo \(step)", "step \(step)")
            if let next = e.nextRunAt, e.status == .active { line += l.t(", prossimo invio ", ", next send ") + l.date(next) }
            if let last = e.lastEvent { line += l.t(", ultimo evento: ", ", last event: ") + last }
            return line
        }
        return l.t("Stato di \(contact):\n", "Status of \(contact):\n") + lines.joined(separator: "\n")
    }

    private static func metrics(period: AssistantPeriod?, rows: [AssistantOutcome.MetricsRow], _ l: Lang) -> String {
        let header = l.t("Metriche outreach", "Outreach metrics") + (period.map { " (\(l.period($0)))" } ?? "") + ":"
        guard !rows.isEmpty else { return header + l.t(" nessun invio.", " no sends.") }
        let lines = rows.map { r in
            let name = r.channel.map(l.name) ?? l.t("totale", "total")
            var text = "- \(name): " + l.t("inviati", "sent") + " \(r.sent), " + l.t("consegnati", "delivered")
                + " \(r.delivered), " + l.t("aperti", "opened") + " \(r.opened), " + l.t("click", "clicked") + " \(r.clicked), "
                + l.t("risposte", "replied") + " \(r.replied), " + l.t("rimbalzi", "bounced") + " \(r.bounced), "
                + l.t("bloccati", "blocked") + " \(r.blocked), " + l.t("rinviati", "deferred") + " \(r.deferred)"
            if let delivery = r.rate(r.delivered), let open = r.rate(r.opened), let reply = r.rate(r.replied) {
                text += l.t(" — consegna ", " — delivery ") + l.percent(delivery) + l.t(", apertura ", ", open ")
                    + l.percent(open) + l.t(", risposta ", ", reply ") + l.percent(reply)
            }
            return text
        }
        return header + "\n" + lines.joined(separator: "\n")
    }
}

/// Wording helpers for one language (internal).
private struct Lang {
    let language: AssistantLanguage
    init(_ language: AssistantLanguage) { self.language = language }

    func t(_ it: String, _ en: String) -> String { language == .it ? it : en }

    func name(_ channel: Channel) -> String {
        switch channel {
        case .email: "email"
        case .whatsapp: "WhatsApp"
        case .telegram: "Telegram"
        }
    }

    func list(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + t(" e ", " and ") + last
    }

    func inSequence(_ sequence: String?) -> String {
        sequence.map { t(" nella sequenza \($0)", " in the \($0) sequence") } ?? ""
    }

    func status(_ status: EnrollmentStatus) -> String {
        switch status {
        case .active: t("attiva", "active")
        case .paused: t("in pausa", "paused")
        case .completed: t("completata", "completed")
        case .cancelled: t("annullata", "cancelled")
        case .replied: t("ha risposto", "replied")
        case .failed: t("fallita", "failed")
        }
    }

    func period(_ period: AssistantPeriod) -> String {
        switch period {
        case .today: t("oggi", "today")
        case .yesterday: t("ieri", "yesterday")
        case .thisWeek: t("questa settimana", "this week")
        case .thisMonth: t("questo mese", "this month")
        case .lastDays(let n): t("ultimi \(n) giorni", "last \(n) days")
        }
    }

    func percent(_ value: Double) -> String { String(format: "%.1f%%", value) }

    func date(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }
}
