import Foundation
import OutreachCore
import Postgres

/// Everything the worker needs to decide and render one job, loaded for a whole batch at once.
///
/// A class, immutable: a batch passes each context through several lists (candidates, the
/// checks' survivors, records, messages in flight), and copying the struct it used to be
/// retained and released its two dozen strings and buffers each time, a seventh of a
/// worker's CPU in `swift_retain`/`swift_release`.
public final class SendContext: Sendable {
    public let job: Job
    public let idempotencyKey: String
    public let channel: Channel?
    public let templateName: String?
    public let entity: EntityRef?

    // Enrollment and step (nil for a one-off send).
    public let enrollmentID: Int64?
    public let enrollmentStatus: EnrollmentStatus?
    public let enrollmentVersion: Int?
    public let sequenceID: Int64?
    public let stepPosition: Int?
    public let stepExists: Bool
    public let condition: StepCondition
    public let whatsappTemplate: SequenceDefinition.WhatsAppTemplate?
    public let sequenceWindow: SequenceDefinition.Window?
    /// Seconds after this step until the next one; nil when this is the last step.
    public let nextStepDelay: Double?
    public let history: StepCondition.History

    // Workspace.
    public let workspaceName: String
    public let workspaceTimeZone: String
    public let workspaceWindow: SequenceDefinition.Window?

    // Contact.
    public let contactID: Int64?
    public let contactName: String?
    public let company: String?
    public let email: String?
    public let phone: String?
    public let telegramChatID: String?
    public let contactStatus: String?
    public let contactTimeZone: String?
    public let attributes: PostgresJSON?
    public let unsubscribeToken: String?
    public let whatsappLastInboundAt: Date?

    // Channel, consent, template.
    public let channelEnabled: Bool
    public let dailyLimit: Int?
    /// The channel's sender identity (`from`, `phone_number_id`), decoded once per batch.
    public let sender: [String: String]
    public let consent: SendSnapshot.Consent
    public let suppressed: Bool
    public let templateSubject: String?
    public let templateBody: String?
    public let templateText: String?

    // An execution already recorded under this key (a retry, a deferral or a crash).
    public let executionID: Int64?
    public let executionStatus: ExecutionStatus?

    /// A context with every field given; ``SendContextStore`` builds them from its query.
    public init(
        job: Job,
        idempotencyKey: String,
        channel: Channel?,
        templateName: String?,
        entity: EntityRef?,
        enrollmentID: Int64?,
        enrollmentStatus: EnrollmentStatus?,
        enrollmentVersion: Int?,
        sequenceID: Int64?,
        stepPosition: Int?,
        stepExists: Bool,
        condition: StepCondition,
        whatsappTemplate: SequenceDefinition.WhatsAppTemplate?,
        sequenceWindow: SequenceDefinition.Window?,
        nextStepDelay: Double?,
        history: StepCondition.History,
        workspaceName: String,
        workspaceTimeZone: String,
        workspaceWindow: SequenceDefinition.Window?,
        contactID: Int64?,
        contactName: String?,
        company: String?,
        email: String?,
        phone: String?,
        telegramChatID: String?,
        contactStatus: String?,
        contactTimeZone: String?,
        attributes: PostgresJSON?,
        unsubscribeToken: String?,
        whatsappLastInboundAt: Date?,
        channelEnabled: Bool,
        dailyLimit: Int?,
        sender: [String: String],
        consent: SendSnapshot.Consent,
        suppressed: Bool,
        templateSubject: String?,
        templateBody: String?,
        templateText: String?,
        executionID: Int64?,
        executionStatus: ExecutionStatus?
    ) {
        self.job = job
        self.idempotencyKey = idempotencyKey
        self.channel = channel
        self.templateName = templateName
        self.entity = entity
        self.enrollmentID = enrollmentID
        self.enrollmentStatus = enrollmentStatus
        self.enrollmentVersion = enrollmentVersion
        self.sequenceID = sequenceID
        self.stepPosition = stepPosition
        self.stepExists = stepExists
        self.condition = condition
        self.whatsappTemplate = whatsappTemplate
        self.sequenceWindow = sequenceWindow
        self.nextStepDelay = nextStepDelay
        self.history = history
        self.workspaceName = workspaceName
        self.workspaceTimeZone = workspaceTimeZone
        self.workspaceWindow = workspaceWindow
        self.contactID = contactID
        self.contactName = contactName
        self.company = company
        self.email = email
        self.phone = phone
        self.telegramChatID = telegramChatID
        self.contactStatus = contactStatus
        self.contactTimeZone = contactTimeZone
        self.attributes = attributes
        self.unsubscribeToken = unsubscribeToken
        self.whatsappLastInboundAt = whatsappLastInboundAt
        self.channelEnabled = channelEnabled
        self.dailyLimit = dailyLimit
        self.sender = sender
        self.consent = consent
        self.suppressed = suppressed
        self.templateSubject = templateSubject
        self.templateBody = templateBody
        self.templateText = templateText
        self.executionID = executionID
        self.executionStatus = executionStatus
    }

    /// The contact's address on this channel, normalised as the suppression list stores it.
    public var address: String? {
        switch channel {
        case .email?: email.map { $0.lowercased() }
        // ASCII digits, as the context query's `regexp_replace(phone, '[^0-9]', '', 'g')`.
        case .whatsapp?: phone.map { String(decoding: $0.utf8.filter { (0x30...0x39).contains($0) }, as: UTF8.self) }
        case .telegram?: telegramChatID
        case nil: nil
        }
    }

    /// The time zone the contact lives in (send windows), else the workspace's.
    public var effectiveTimeZone: TimeZone {
        contactTimeZone.flatMap(TimeZones.named) ?? TimeZones.named(workspaceTimeZone) ?? .gmt
    }

    public var workspaceZone: TimeZone { TimeZones.named(workspaceTimeZone) ?? .gmt }
}

/// Loads `SendContext`s: one round trip for a batch of claimed jobs.
public struct SendContextStore: Sendable {
    /// Every lookup is a `LATERAL (… LIMIT 1)` probe: the plan is a chain of per-job lookups,
    /// the right shape for a batch of a few hundred, whatever the table sizes say. The join
    /// form let the planner hash whole tables instead: with 20 000 compact enrollments it
    /// scanned them all for every batch (21 ms for 200 jobs; as probes, 9 ms). Lateral
    /// dependencies also leave the planner few join orders to try, so it plans about as fast
    /// as the earlier four `MATERIALIZED` steps did (2.3 ms against 1.9 ms).
    static let load = """
        SELECT i.job_id, i.workspace_id, e.id AS enrollment_id, e.status AS enrollment_status, e.version, e.sequence_id,
               i.step_position, st.id IS NOT NULL AS step_exists, k.channel, k.template_name,
               coalesce(st.condition, 'always') AS condition, st.whatsapp_template, sq.send_window AS sequence_window,
               k.entity_type, k.entity_id, k.idem_key, extract(epoch FROM nx.delay)::float8 AS next_delay,
               w.name AS workspace_name, w.timezone AS workspace_tz, w.send_window AS workspace_window,
               c.id AS contact_id, c.name AS contact_name, c.company, c.email, c.phone, c.telegram_chat_id,
               c.status AS contact_status, c.timezone AS contact_tz, c.attributes, c.unsubscribe_token,
               c.whatsapp_last_inbound_at, cs.status AS consent_status,
               coalesce(cc.enabled, false) AS channel_enabled, cc.daily_limit, cc.sender,
               EXISTS (SELECT 1 FROM outreach_suppressions s
                       WHERE s.workspace_id = i.workspace_id AND s.channel = k.channel
                         AND s.address = CASE k.channel WHEN 'email' THEN lower(c.email)
                                                        WHEN 'whatsapp' THEN regexp_replace(c.phone, '[^0-9]', '', 'g')
                                                        ELSE c.telegram_chat_id END) AS suppressed,
               t.subject, t.body, t.text_body,
               coalesce(h.replied, false) AS replied, coalesce(h.opened, false) AS opened, coalesce(h.clicked, false) AS clicked,
               x.id AS execution_id, x.status AS execution_status
        FROM unnest($1::bigint[], $2::uuid[], $3::bigint[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
             AS i(job_id, workspace_id, enrollment_id, step_position, entity_type, entity_id, channel, template_name, idem_key)
        JOIN LATERAL (SELECT w.name, w.timezone, w.send_window FROM outreach_workspaces w WHERE w.id = i.workspace_id LIMIT 1) w ON true
        LEFT JOIN LATERAL (SELECT e.id, e.status, e.version, e.sequence_id, e.entity_type, e.entity_id
                             FROM outreach_enrollments e WHERE e.id = i.enrollment_id LIMIT 1) e ON true
        LEFT JOIN LATERAL (SELECT st.id, st.channel, st.template_name, st.condition, st.whatsapp_template
                             FROM outreach_sequence_steps st WHERE st.sequence_id = e.sequence_id AND st.position = i.step_position
                            LIMIT 1) st ON true
        LEFT JOIN LATERAL (SELECT sq.send_window FROM outreach_sequences sq WHERE sq.id = e.sequence_id LIMIT 1) sq ON true
        LEFT JOIN LATERAL (SELECT nx.delay FROM outreach_sequence_steps nx
                            WHERE nx.sequence_id = e.sequence_id AND nx.position = i.step_position + 1 LIMIT 1) nx ON true
        CROSS JOIN LATERAL (SELECT coalesce(st.channel, i.channel) AS channel, coalesce(st.template_name, i.template_name) AS template_name,
                                   coalesce(e.entity_type, i.entity_type) AS entity_type, coalesce(e.entity_id, i.entity_id) AS entity_id,
                                   -- A job with neither (a no-op, a step whose enrollment is gone) never writes an
                                   -- execution; its own id keeps the key non-null.
                                   coalesce(i.idem_key, 'step:' || e.id || ':' || i.step_position, 'job:' || i.job_id) AS idem_key) k
        LEFT JOIN LATERAL (SELECT c.id, c.name, c.company, c.email, c.phone, c.telegram_chat_id, c.status, c.timezone,
                                  c.attributes, c.unsubscribe_token, c.whatsapp_last_inbound_at
                             FROM outreach_contacts c
                            WHERE c.workspace_id = i.workspace_id AND c.entity_type = k.entity_type AND c.entity_id = k.entity_id
                            LIMIT 1) c ON true
        LEFT JOIN LATERAL (SELECT cs.status FROM outreach_consent cs
                            WHERE cs.workspace_id = i.workspace_id AND cs.entity_type = k.entity_type
                              AND cs.entity_id = k.entity_id AND cs.channel = k.channel LIMIT 1) cs ON true
        LEFT JOIN LATERAL (SELECT cc.enabled, cc.daily_limit, cc.sender FROM outreach_channel_config cc
                            WHERE cc.workspace_id = i.workspace_id AND cc.channel = k.channel LIMIT 1) cc ON true
        LEFT JOIN LATERAL (SELECT t.subject, t.body, t.text_body FROM outreach_templates t
                            WHERE t.workspace_id = i.workspace_id AND t.name = k.template_name AND t.channel = k.channel LIMIT 1) t ON true
        LEFT JOIN LATERAL (
            SELECT bool_or(x.status = 'replied' OR x.replied_at IS NOT NULL) AS replied,
                   bool_or(x.opened_at IS NOT NULL OR x.status IN ('opened', 'read', 'clicked', 'replied')) AS opened,
                   bool_or(x.clicked_at IS NOT NULL OR x.status = 'clicked') AS clicked
            FROM outreach_executions x
            -- Only a condition reads the history: a step without one (most first steps) skips the probe.
            WHERE st.condition <> 'always' AND e.id IS NOT NULL
              AND x.enrollment_id = e.id AND x.step_position < i.step_position
        ) h ON true
        LEFT JOIN LATERAL (SELECT x.id, x.status FROM outreach_executions x WHERE x.idempotency_key = k.idem_key LIMIT 1) x ON true
        """

    public init() {}

    public func load(_ jobs: [Job], on db: PostgresConnection) async throws -> [SendContext] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await db.query(Self.load, Self.binds(jobs))
        var byJob: [Int64: PostgresRow] = [:]
        for row in rows { byJob[try row.decode("job_id")] = row }
        // A batch holds a few workspaces and channels: each sender is decoded once, not per job.
        var senders: [String: [String: String]] = [:]
        return try jobs.compactMap { job in try byJob[job.id].map { try Self.decode($0, job: job, senders: &senders) } }
    }

    /// The load statement's parameters: each job's own columns, and a one-off send's payload.
    static func binds(_ jobs: [Job]) -> [any PostgresEncodable] {
        let payloads = jobs.map { job -> SendJobPayload? in job.kind == .send ? try? job.payload.decode(SendJobPayload.self) : nil }
        return [
            jobs.map(\.id), jobs.map(\.workspaceID), jobs.map(\.enrollmentID), jobs.map(\.stepPosition),
            payloads.map { $0?.entityType.rawValue }, payloads.map { $0?.entityID }, payloads.map { $0?.channel.rawValue },
            payloads.map { $0?.template }, payloads.map { $0?.key },
        ]
    }

    static func decode(_ row: PostgresRow, job: Job, senders: inout [String: [String: String]]) throws -> SendContext {
        let entityType: String? = try row.decode("entity_type")
        let entityID: String? = try row.decode("entity_id")
        let entity = entityType.flatMap(EntityRef.Kind.init(rawValue:)).flatMap { kind in entityID.map { EntityRef(type: kind, id: $0) } }
        let consentStatus: String? = try row.decode("consent_status")
        let whatsappTemplate: PostgresJSON? = try row.decode("whatsapp_template")
        let sequenceWindow: PostgresJSON? = try row.decode("sequence_window")
        let workspaceWindow: PostgresJSON? = try row.decode("workspace_window")
        let enrollmentStatus: String? = try row.decode("enrollment_status")
        let executionStatus: String? = try row.decode("execution_status")
        let channel: String? = try row.decode("channel")
        var sender: [String: String] = [:]
        if let raw: PostgresJSON = try row.decode("sender") {
            if let known = senders[raw.raw] {
                sender = known
            } else {
                sender = ((try? raw.decode([String: String].self)) ?? [:]).filter { !$0.value.isEmpty }
                senders[raw.raw] = sender
            }
        }
        return SendContext(
            job: job, idempotencyKey: try row.decode("idem_key"), channel: channel.flatMap(Channel.init(rawValue:)),
            templateName: try row.decode("template_name"), entity: entity,
            enrollmentID: try row.decode("enrollment_id"), enrollmentStatus: enrollmentStatus.flatMap(EnrollmentStatus.init(rawValue:)),
            enrollmentVersion: try row.decode("version"), sequenceID: try row.decode("sequence_id"),
            stepPosition: try row.decode("step_position"), stepExists: try row.decode("step_exists"),
            condition: StepCondition(rawValue: try row.decode("condition")) ?? .always,
            whatsappTemplate: try whatsappTemplate?.decode(SequenceDefinition.WhatsAppTemplate.self),
            sequenceWindow: try sequenceWindow?.decode(SequenceDefinition.Window.self),
            nextStepDelay: try row.decode("next_delay"),
            history: StepCondition.History(replied: try row.decode("replied"), opened: try row.decode("opened"),
                                           clicked: try row.decode("clicked")),
            workspaceName: try row.decode("workspace_name"), workspaceTimeZone: try row.decode("workspace_tz"),
            workspaceWindow: try workspaceWindow?.decode(SequenceDefinition.Window.self),
            contactID: try row.decode("contact_id"), contactName: try row.decode("contact_name"), company: try row.decode("company"),
            email: try row.decode("email"), phone: try row.decode("phone"), telegramChatID: try row.decode("telegram_chat_id"),
            contactStatus: try row.decode("contact_status"), contactTimeZone: try row.decode("contact_tz"),
            attributes: try row.decode("attributes"), unsubscribeToken: try row.decode("unsubscribe_token"),
            whatsappLastInboundAt: try row.decode("whatsapp_last_inbound_at"),
            channelEnabled: try row.decode("channel_enabled"), dailyLimit: try row.decode("daily_limit"),
            sender: sender,
            consent: consentStatus == "granted" ? .granted : (consentStatus == "revoked" ? .revoked : .missing),
            suppressed: try row.decode("suppressed"),
            templateSubject: try row.decode("subject"), templateBody: try row.decode("body"), templateText: try row.decode("text_body"),
            executionID: try row.decode("execution_id"),
            executionStatus: executionStatus.flatMap(ExecutionStatus.init(rawValue:)))
    }
}
