import Channels
import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// Who is asking: the platform operator (any workspace) or a reseller (its own workspace only).
public enum AssistantRole: String, Sendable, Codable, CaseIterable {
    case admin, reseller
}

/// The assistant's answer (`outreach ask --json`, `POST /v1/assistant`).
public struct AssistantResponse: Sendable, Equatable, Codable {
    /// One of the ten sub-intent names, or nil for a non-outreach (or unclear) message.
    public var intent: String?
    /// The contacts the message named, as `TYPE:ID`.
    public var entities: [String]
    /// What was done (`enrolled`, `send_queued`, …), `refused:<why>` when refused, nil when nothing.
    public var action: String?
    public var reply: String
    public var language: String

    public init(intent: String?, entities: [String], action: String?, reply: String, language: String) {
        self.intent = intent
        self.entities = entities
        self.action = action
        self.reply = reply
        self.language = language
    }
}

/// Chat control (SPEC §9): parses a message against the workspace and carries it out through the
/// same services as the CLI. A reseller's request runs inside `TenantScope`, so row-level security
/// confines it to its workspace whatever the parser resolved; an admin's runs in one transaction too.
public struct AssistantService: Sendable {
    let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    public func respond(message: String, workspace: Workspace, role: AssistantRole,
                        on db: PostgresConnection) async throws -> AssistantResponse {
        switch role {
        case .reseller:
            return try await TenantScope.run(workspace: workspace.id, on: db) { tx in
                try await handle(message, workspace: workspace, on: tx)
            }
        case .admin:
            return try await db.transaction { tx in try await handle(message, workspace: workspace, on: tx) }
        }
    }

    /// The context the parser resolves names against.
    func context(for message: String, workspace: Workspace, on db: PostgresConnection) async throws -> AssistantContext {
        let contacts = try await AssistantStore().contacts(for: message, workspace: workspace.id, on: db)
        let sequences = try await SequenceService().list(workspace: workspace, on: db).map(\.name)
        let templates = try await TemplateService().list(workspace: workspace, on: db)
            .map { AssistantTemplate(name: $0.name, channel: $0.channel) }
        let channels = try await ChannelService().list(workspace: workspace, on: db)
        let providers = ProviderConfiguration(environment: environment)
        return AssistantContext(contacts: contacts, sequences: sequences, templates: templates,
                                configuredChannels: Set(Channel.allCases.filter(providers.isConfigured)),
                                enabledChannels: Set(channels.filter(\.enabled).map(\.channel)))
    }

    func handle(_ message: String, workspace: Workspace, on db: PostgresConnection) async throws -> AssistantResponse {
        // Long messages are refused by the parser before any name is looked up.
        let bounded = message.count > IntentParser.maxMessageLength ? String(message.prefix(IntentParser.maxMessageLength + 1)) : message
        let context = try await context(for: bounded, workspace: workspace, on: db)
        let parsed = IntentParser.parse(bounded, context: context)
        let language = parsed.language
        func answer(_ outcome: AssistantOutcome, action: String?, extra: [AssistantOutcome] = []) -> AssistantResponse {
            let text = ([outcome] + extra).map { AssistantReplies.reply($0, language: language) }.joined(separator: "\n")
            return AssistantResponse(intent: parsed.intent?.rawValue, entities: parsed.entities.map(\.entity.description),
                                     action: action, reply: text, language: language.rawValue)
        }
        guard let intent = parsed.intent, parsed.isActionable else {
            if let clarification = parsed.clarification { return answer(.clarification(clarification), action: nil) }
            return answer(.notOutreach, action: nil)
        }
        if [.sendMessage, .enrollEntity, .resumeEnrollment].contains(intent), try await killSwitchOn(on: db) {
            return answer(.killSwitchOn, action: "refused:kill_switch")
        }
        let targets = parsed.entities
        switch intent {
        case .enrollEntity:
            guard let name = parsed.sequence else { return answer(.clarification(Clarification(.missing(.sequence), language: language)), action: nil) }
            let sequence = try await SequenceService().list(workspace: workspace, on: db).first { $0.name == name }
            if let first = sequence?.steps.min(by: { $0.position < $1.position }),
               let refusal = try await channelRefusal(first.channel, context: context, workspace: workspace, on: db) {
                return answer(refusal.outcome, action: refusal.action)
            }
            let selector: ContactSelector = targets.isEmpty
                ? try ContactSelector(entities: [], filters: parsed.filter?.whereTerms ?? [])
                : .entities(targets.map(\.entity))
            let report = try await EnrollmentService().enrollInTransaction(selector, sequence: name, workspace: workspace, on: db)
            return answer(.enrolled(sequence: report.sequence, enrolled: report.enrolled, alreadyEnrolled: report.alreadyEnrolled),
                          action: "enrolled")
        case .cancelEnrollment, .pauseEnrollment, .resumeEnrollment:
            let action: EnrollmentAction = intent == .cancelEnrollment ? .cancel : intent == .pauseEnrollment ? .pause : .resume
            var changed = 0
            var without: [String] = []
            for target in targets {
                do {
                    let results = try await EnrollmentService().control(action, entity: target.entity, sequence: parsed.sequence,
                                                                        workspace: workspace, on: db)
                    changed += results.filter { $0.outcome == .changed }.count
                } catch let error as OutreachError where error.code == .notFound {
                    without.append(target.displayName)
                }
            }
            if changed == 0, !without.isEmpty { return answer(.noEnrollment(contacts: without), action: nil) }
            let outcome: AssistantOutcome = switch action {
            case .cancel: .cancelled(count: changed, sequence: parsed.sequence)
            case .pause: .paused(count: changed, sequence: parsed.sequence)
            case .resume: .resumed(count: changed, sequence: parsed.sequence)
            }
            let done = [EnrollmentAction.cancel: "cancelled", .pause: "paused", .resume: "resumed"][action]
            return answer(outcome, action: changed > 0 ? done : nil,
                          extra: without.isEmpty ? [] : [.noEnrollment(contacts: without)])
        case .sendMessage:
            guard let template = parsed.template else {
                return answer(.clarification(Clarification(.missing(.template), language: language)), action: nil)
            }
            if let refusal = try await channelRefusal(template.channel, context: context, workspace: workspace, on: db) {
                return answer(refusal.outcome, action: refusal.action)
            }
            let status = try await ChannelService().list(workspace: workspace, on: db).first { $0.channel == template.channel }
            if let status, let limit = status.dailyLimit, status.sentToday >= limit {
                return answer(.dailyLimitReached(channel: template.channel, limit: limit), action: "refused:daily_limit")
            }
            var allowed: [AssistantContact] = []
            var missing: [String] = []
            for target in targets {
                let consent = try await ConsentStore().current(for: target.entity, workspace: workspace.id, on: db)
                    .first { $0.channel == template.channel }
                if consent?.isGranted == true { allowed.append(target) } else { missing.append(target.displayName) }
            }
            guard !allowed.isEmpty else {
                return answer(.consentMissing(channel: template.channel, contacts: missing), action: "refused:consent_missing")
            }
            for target in allowed {
                _ = try await SendService().send(to: target.entity, channel: template.channel, template: template.name,
                                                 workspace: workspace, on: db)
            }
            return answer(.sendQueued(template: template, contacts: allowed.map(\.displayName)), action: "send_queued",
                          extra: missing.isEmpty ? [] : [.consentMissing(channel: template.channel, contacts: missing)])
        case .checkStatus:
            var outcomes: [AssistantOutcome] = []
            for target in targets {
                let report = try await StatusService().status(of: target.entity, workspace: workspace, on: db)
                let last = report.timeline.last.map { "\($0.channel.rawValue) \($0.currentStatus)" }
                outcomes.append(.status(contact: target.displayName, enrollments: report.enrollments.map {
                    AssistantOutcome.StatusLine(sequence: $0.sequence, status: $0.status, step: $0.currentStep, totalSteps: $0.steps,
                          nextRunAt: $0.nextRunAt, lastEvent: last)
                }))
            }
            guard let first = outcomes.first else { return answer(.clarification(Clarification(.missing(.target), language: language)), action: nil) }
            return answer(first, action: "status", extra: Array(outcomes.dropFirst()))
        case .manageChannels:
            let changes = parsed.channelChanges
            if changes.isEmpty {
                let states = try await ChannelService().list(workspace: workspace, on: db).map {
                    AssistantOutcome.ChannelState(channel: $0.channel, enabled: $0.enabled,
                                                  configured: context.configuredChannels.contains($0.channel), dailyLimit: $0.dailyLimit)
                }
                return answer(.channels(states), action: "channels")
            }
            if let unconfigured = changes.first(where: { $0.action == .enable && !context.configuredChannels.contains($0.channel) }) {
                return answer(.providerNotConfigured(unconfigured.channel), action: "refused:provider_not_configured")
            }
            for change in changes {
                _ = try await ChannelService().configure(change.channel, enabled: change.action == .enable, dailyLimit: nil, from: nil,
                                                         phoneNumberID: nil, environment: environment, workspace: workspace, on: db)
            }
            return answer(.channelsChanged(changes), action: "channels_changed")
        case .listTemplates:
            let templates = parsed.channels.isEmpty ? context.templates : context.templates.filter { parsed.channels.contains($0.channel) }
            return answer(.templates(templates), action: "templates")
        case .listSequences:
            return answer(.sequences(context.sequences), action: "sequences")
        case .outreachMetrics:
            let period = parsed.period ?? .lastDays(7)
            let tz = TimeZone(identifier: workspace.timezone) ?? TimeZone(identifier: "UTC")!
            let interval = period.interval(now: Date(), timeZone: tz)
            let report = try await MetricsStore().report(workspace: workspace.id, since: interval.start,
                                                         until: interval.end.addingTimeInterval(1), on: db)
            // "Metriche della sequenza intro": that sequence's counts per channel.
            let source: [(channel: Channel, counts: MetricsCounts)] = parsed.sequence.map { name in
                report.sequenceChannels.filter { $0.sequence == name }.map { ($0.channel, $0.counts) }
            } ?? report.channels.map { ($0.channel, $0.counts) }
            let rows = source.filter { parsed.channels.isEmpty || parsed.channels.contains($0.channel) }.map { r in
                AssistantOutcome.MetricsRow(channel: r.channel, sent: r.counts.sent, delivered: r.counts.delivered,
                                            opened: r.counts.opened, clicked: r.counts.clicked, replied: r.counts.replied,
                                            bounced: r.counts.bounced, blocked: r.counts.blocked, deferred: r.counts.deferred)
            }
            return answer(.metrics(period: period, rows: rows), action: "metrics")
        }
    }

    /// The kill switch: `OUTREACH_KILL_SWITCH` for this process, or `outreach_settings`.
    func killSwitchOn(on db: PostgresConnection) async throws -> Bool {
        if ["1", "true", "yes", "on"].contains((environment["OUTREACH_KILL_SWITCH"] ?? "").lowercased()) { return true }
        return try await AssistantStore().killSwitch(on: db)
    }

    /// Why a send on `channel` cannot happen now: provider credentials missing or channel disabled.
    func channelRefusal(_ channel: Channel, context: AssistantContext, workspace: Workspace,
                        on db: PostgresConnection) async throws -> (outcome: AssistantOutcome, action: String)? {
        if !context.configuredChannels.contains(channel) { return (.providerNotConfigured(channel), "refused:provider_not_configured") }
        if !context.enabledChannels.contains(channel) { return (.channelNotEnabled(channel), "refused:channel_not_enabled") }
        return nil
    }
}
