import Foundation
import OutreachCore
import Postgres

/// The writes of the send path, each set-based over a batch: the optimistic enrollment lock,
/// the race-free daily-limit and cool-down reservations, the `sending` record that must commit
/// before any provider call, and the outcomes afterwards.
public struct SendLedger: Sendable {
    public init() {}

    // MARK: Workspace guard

    /// The lock a foreign key check takes, once per batch instead of once per inserted row
    /// (`sql/0010_send_rows_workspace_guard.sql`): a workspace delete waits for this
    /// transaction and then erases what it wrote.
    static let holdWorkspaces = "SELECT id FROM outreach_workspaces WHERE id = ANY($1::uuid[]) ORDER BY id FOR KEY SHARE"

    /// Holds the workspaces whose executions and cool-downs this transaction will write, until
    /// it ends; returns those that still exist. Nothing may be written for the others.
    public func holdWorkspaces(_ ids: Set<UUID>, on db: PostgresConnection) async throws -> Set<UUID> {
        guard !ids.isEmpty else { return [] }
        return Set(try await db.query(Self.holdWorkspaces, [Array(ids)] as [any PostgresEncodable])
            .map { try $0.decode("id", as: UUID.self) })
    }

    // MARK: Enrollment lock

    /// Takes the step: each enrollment still at the version we read and still active is locked
    /// `FOR SHARE` until the prepare transaction commits. A pause or cancel that committed first
    /// makes this return nothing for that enrollment, and nothing is sent; one that comes later
    /// waits for the commit and then pauses, and the advance after the send finds the version
    /// moved, re-reads and moves the step on without un-pausing. A share lock rather than a
    /// version bump: the bump rewrote the wide row and ran its triggers once more per send, and
    /// the version already moves when the step advances. Rows are addressed as in ``advance(_:on:)``.
    static let lockEnrollments = """
        SELECT e.id
          FROM outreach_enrollments e
         WHERE e.id = ANY($1::bigint[]) AND e.version = ($2::int[])[width_bucket(e.id, $1::bigint[])]
           AND e.status = 'active'
         ORDER BY e.id
           FOR SHARE OF e
        """

    /// The enrollments whose step this worker now owns. The lock holds only at the version
    /// given, so the caller's version stays the one to advance from.
    public func lockEnrollments(_ items: [(id: Int64, version: Int)], on db: PostgresConnection) async throws -> Set<Int64> {
        guard !items.isEmpty else { return [] }
        let items = items.sortedByID(\.id)
        return Set(try await db.query(Self.lockEnrollments, [items.map(\.id), items.map(\.version)] as [any PostgresEncodable])
            .map { try $0.decode("id", as: Int64.self) })
    }

    // MARK: Daily limit (check 4)

    static let ensureCounters = """
        INSERT INTO outreach_daily_counters (workspace_id, channel, day, sent)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[]) AS g(workspace_id, channel, day), LATERAL (SELECT 0) z
        ON CONFLICT DO NOTHING
        """

    /// Grants up to `want` per counter without ever passing `lim`, under the row lock, so the
    /// limit is exact whatever the number of workers.
    static let reserveDaily = """
        WITH g AS (
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[], $5::int[])
                AS g(workspace_id, channel, day, lim, want)
        ), old AS (
            SELECT c.workspace_id, c.channel, c.day, c.sent
              FROM outreach_daily_counters c JOIN g USING (workspace_id, channel, day)
             ORDER BY c.workspace_id, c.channel, c.day
             FOR UPDATE OF c
        )
        UPDATE outreach_daily_counters c
           SET sent = old.sent + least(g.want, greatest(0, g.lim - old.sent))
          FROM g JOIN old USING (workspace_id, channel, day)
         WHERE c.workspace_id = g.workspace_id AND c.channel = g.channel AND c.day = g.day
        RETURNING c.workspace_id, c.channel, c.day::text AS day, c.sent - old.sent AS granted
        """

    static let refundDaily = """
        UPDATE outreach_daily_counters c SET sent = greatest(0, c.sent - g.n)
          FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[]) AS g(workspace_id, channel, day, n)
         WHERE c.workspace_id = g.workspace_id AND c.channel = g.channel AND c.day = g.day
        """

    /// Counter and cool-down rows are always locked in this order, so two workers touching the
    /// same rows in one transaction can never deadlock.
    public struct DailyKey: Hashable, Sendable, Comparable {
        public static func < (a: DailyKey, b: DailyKey) -> Bool {
            if a.workspaceID != b.workspaceID { return a.workspaceID.precedes(b.workspaceID) }
            return (a.channel.rawValue, a.day) < (b.channel.rawValue, b.day)
        }

        public var workspaceID: UUID
        public var channel: Channel
        /// `YYYY-MM-DD` in the workspace's time zone.
        public var day: String

        public init(workspaceID: UUID, channel: Channel, day: String) {
            self.workspaceID = workspaceID
            self.channel = channel
            self.day = day
        }
    }

    /// How many of the wanted sends each counter granted.
    public func reserveDaily(_ wants: [DailyKey: (limit: Int?, count: Int)], on db: PostgresConnection) async throws -> [DailyKey: Int] {
        guard !wants.isEmpty else { return [:] }
        let keys = wants.keys.sorted()
        let ws = keys.map(\.workspaceID), ch = keys.map(\.channel.rawValue), days = keys.map(\.day)
        try await db.query(Self.ensureCounters, [ws, ch, days] as [any PostgresEncodable])
        let rows = try await db.query(Self.reserveDaily, [
            ws, ch, days, keys.map { wants[$0]!.limit ?? Int(Int32.max) }, keys.map { wants[$0]!.count },
        ] as [any PostgresEncodable])
        var granted: [DailyKey: Int] = [:]
        for row in rows {
            guard let channel = Channel(rawValue: try row.decode("channel")) else { continue }
            granted[DailyKey(workspaceID: try row.decode("workspace_id"), channel: channel, day: try row.decode("day"))] =
                try row.decode("granted")
        }
        return granted
    }

    static let countDaily = """
        INSERT INTO outreach_daily_counters AS c (workspace_id, channel, day, sent)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::int[])
        ON CONFLICT (workspace_id, channel, day) DO UPDATE SET sent = c.sent + EXCLUDED.sent
        """

    /// Counts sends on channels without a limit (nothing was reserved for them).
    public func countDaily(_ counts: [DailyKey: Int], on db: PostgresConnection) async throws {
        let keys = counts.keys.filter { counts[$0]! > 0 }.sorted()
        guard !keys.isEmpty else { return }
        try await db.query(Self.countDaily, [
            keys.map(\.workspaceID), keys.map(\.channel.rawValue), keys.map(\.day), keys.map { counts[$0]! },
        ] as [any PostgresEncodable])
    }

    public func refundDaily(_ refunds: [DailyKey: Int], on db: PostgresConnection) async throws {
        let keys = refunds.keys.filter { refunds[$0]! > 0 }.sorted()
        guard !keys.isEmpty else { return }
        try await db.query(Self.refundDaily, [
            keys.map(\.workspaceID), keys.map(\.channel.rawValue), keys.map(\.day), keys.map { refunds[$0]! },
        ] as [any PostgresEncodable])
    }

    // MARK: Cool-down (check 5)

    public struct CooldownKey: Hashable, Sendable, Comparable {
        public static func < (a: CooldownKey, b: CooldownKey) -> Bool {
            if a.workspaceID != b.workspaceID { return a.workspaceID.precedes(b.workspaceID) }
            return (a.entity.type.rawValue, a.entity.id, a.channel.rawValue) < (b.entity.type.rawValue, b.entity.id, b.channel.rawValue)
        }

        public var workspaceID: UUID
        public var entity: EntityRef
        public var channel: Channel

        public init(workspaceID: UUID, entity: EntityRef, channel: Channel) {
            self.workspaceID = workspaceID
            self.entity = entity
            self.channel = channel
        }
    }

    /// Takes the cool-down slot only if the last send is at least 24 h old; the row lock of the
    /// upsert makes two workers racing for one contact agree. Keys must be distinct.
    static let reserveCooldown = """
        INSERT INTO outreach_cooldowns AS c (workspace_id, entity_type, entity_id, channel, last_sent_at)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS d(workspace_id, entity_type, entity_id, channel),
               LATERAL (SELECT $5::timestamptz) t
        ON CONFLICT (workspace_id, entity_type, entity_id, channel) DO UPDATE SET last_sent_at = EXCLUDED.last_sent_at
        WHERE c.last_sent_at <= EXCLUDED.last_sent_at - interval '24 hours'
        RETURNING workspace_id, entity_type, entity_id, channel
        """

    /// Each key's slot is probed by key (`LATERAL … LIMIT 1`), like the context query's lookups:
    /// joined to the batch, the planner hashed the whole cool-down table (every contact and
    /// channel ever sent to) to find 200 slots.
    static let cooldownEnds = """
        SELECT d.i, c.last_sent_at + interval '24 hours' AS ends
          FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS d(workspace_id, entity_type, entity_id, channel, i)
         CROSS JOIN LATERAL (SELECT c.last_sent_at FROM outreach_cooldowns c
                              WHERE c.workspace_id = d.workspace_id AND c.entity_type = d.entity_type
                                AND c.entity_id = d.entity_id AND c.channel = d.channel LIMIT 1) c
        """

    /// A refund deletes the slot this batch took: since it was taken, the previous send was more
    /// than 24 h earlier, so no cool-down is lost. The slots are found by key and deleted by row
    /// address, as the scheduler deletes due rows; a slot another worker took meanwhile has a
    /// new address and a new time, and stays.
    static let refundCooldown = """
        DELETE FROM outreach_cooldowns c
         WHERE c.ctid = ANY (ARRAY(
                   SELECT x.ctid
                     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) AS d(workspace_id, entity_type, entity_id, channel)
                    CROSS JOIN LATERAL (SELECT x.ctid FROM outreach_cooldowns x
                                         WHERE x.workspace_id = d.workspace_id AND x.entity_type = d.entity_type
                                           AND x.entity_id = d.entity_id AND x.channel = d.channel AND x.last_sent_at = $5
                                         LIMIT 1) x))
           AND c.last_sent_at = $5
        """

    /// The keys that got their slot, and for the others when the cool-down ends.
    public func reserveCooldowns(_ keys: [CooldownKey], at now: Date, on db: PostgresConnection)
        async throws -> (granted: Set<CooldownKey>, blockedUntil: [CooldownKey: Date]) {
        guard !keys.isEmpty else { return ([], [:]) }
        let keys = keys.sorted()
        var granted = Set<CooldownKey>()
        for row in try await db.query(Self.reserveCooldown, Self.binds(keys) + [now]) {
            guard let kind = EntityRef.Kind(rawValue: try row.decode("entity_type")),
                  let channel = Channel(rawValue: try row.decode("channel")) else { continue }
            granted.insert(CooldownKey(workspaceID: try row.decode("workspace_id"),
                                       entity: EntityRef(type: kind, id: try row.decode("entity_id")), channel: channel))
        }
        let losers = keys.filter { !granted.contains($0) }
        var until: [CooldownKey: Date] = [:]
        if !losers.isEmpty {
            for row in try await db.query(Self.cooldownEnds, Self.binds(losers)) {
                let i: Int = try row.decode("i")
                until[losers[i - 1]] = try row.decode("ends")
            }
        }
        return (granted, until)
    }

    public func refundCooldowns(_ keys: [CooldownKey], reservedAt: Date, on db: PostgresConnection) async throws {
        guard !keys.isEmpty else { return }
        let keys = keys.sorted()
        try await db.query(Self.refundCooldown, Self.binds(keys) + [reservedAt])
    }

    /// The cool-down statements' key columns, `$1…$4`.
    static func binds(_ keys: [CooldownKey]) -> [any PostgresEncodable] {
        [keys.map(\.workspaceID), keys.map(\.entity.type.rawValue), keys.map(\.entity.id), keys.map(\.channel.rawValue)]
    }

    // MARK: Executions

    /// One execution row to write: what was (or was not) sent for one step or one-off send.
    public struct ExecutionRecord: Sendable {
        public var context: SendContext
        public var status: ExecutionStatus
        public var reason: String?
        public var providerMessageID: String?
        public var errorCode: String?
        public var errorMessage: String?
        /// The row the outcome lands on, when the send path already wrote it as `sending`: the
        /// outcome is then an update by primary key rather than an upsert under the key.
        public var executionID: Int64?

        public init(context: SendContext, executionID: Int64? = nil, status: ExecutionStatus, reason: String? = nil,
                    providerMessageID: String? = nil, errorCode: String? = nil, errorMessage: String? = nil) {
            self.context = context
            self.status = status
            self.reason = reason
            self.providerMessageID = providerMessageID
            self.errorCode = errorCode
            self.errorMessage = errorMessage
            self.executionID = executionID
        }

        /// The error message as stored: its first 500 characters.
        var storedErrorMessage: String? { errorMessage.map { String($0.prefix(500)) } }

        /// `sent` with nothing but the provider's id: what ``recordSentByID`` writes.
        var isPlainSend: Bool { status == .sent && reason == nil && errorCode == nil && errorMessage == nil }
    }

    static let columns = """
        $1::uuid[], $2::bigint[], $3::bigint[], $4::int[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[],
        $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[]
        """

    /// `sending` is written, and committed, before the provider is called. Only a new key or
    /// one that was deferred becomes `sending`; the keys returned, with their rows, are the ones
    /// to send.
    static let markSending = """
        INSERT INTO outreach_executions AS x (workspace_id, enrollment_id, sequence_id, step_position, contact_id,
            entity_type, entity_id, channel, template_name, idempotency_key, status, reason, provider_message_id,
            error_code, error_message)
        SELECT * FROM unnest(\(columns))
        ON CONFLICT (idempotency_key) DO UPDATE SET status = 'sending', reason = NULL, attempt = x.attempt + 1,
            updated_at = now()
        WHERE x.status = 'deferred'
        RETURNING x.id, x.idempotency_key
        """

    /// Outcomes: never overwrite a status a webhook or another worker moved past `sending`/`deferred`.
    /// Every outcome but `sent` also writes a timeline event; `sent`, the outcome of nearly every
    /// step, is already told by the execution's `sent_at` (``TimelineStore`` shows it as a line).
    static let recordOutcomes = """
        WITH up AS (
            INSERT INTO outreach_executions AS x (workspace_id, enrollment_id, sequence_id, step_position, contact_id,
                entity_type, entity_id, channel, template_name, idempotency_key, status, reason, provider_message_id,
                error_code, error_message)
            SELECT * FROM unnest(\(columns))
            ON CONFLICT (idempotency_key) DO UPDATE
                SET status = EXCLUDED.status, reason = EXCLUDED.reason,
                    provider_message_id = coalesce(EXCLUDED.provider_message_id, x.provider_message_id),
                    error_code = EXCLUDED.error_code, error_message = EXCLUDED.error_message,
                    sent_at = CASE WHEN EXCLUDED.status = 'sent' THEN now() ELSE x.sent_at END,
                    updated_at = now()
            WHERE x.status IN ('sending', 'deferred')
            RETURNING x.id, x.workspace_id, x.status, x.reason
        )
        INSERT INTO outreach_execution_events (workspace_id, execution_id, status, reason)
        SELECT workspace_id, id, status, reason FROM up WHERE status <> 'sent'
        """

    /// Outcomes of sends, on the rows written as `sending` (found by id, see ``advance(_:on:)``):
    /// an upsert binds every column and probes the key's text index, and it fires the insert
    /// triggers too; here a row deleted meanwhile (its workspace removed) is not made again.
    static let recordOutcomesByID = """
        WITH up AS (
            UPDATE outreach_executions x
               SET status = ($2::text[])[width_bucket(x.id, $1::bigint[])],
                   reason = ($3::text[])[width_bucket(x.id, $1::bigint[])],
                   provider_message_id = coalesce(($4::text[])[width_bucket(x.id, $1::bigint[])], x.provider_message_id),
                   error_code = ($5::text[])[width_bucket(x.id, $1::bigint[])],
                   error_message = ($6::text[])[width_bucket(x.id, $1::bigint[])],
                   sent_at = CASE WHEN ($2::text[])[width_bucket(x.id, $1::bigint[])] = 'sent' THEN now() ELSE x.sent_at END,
                   updated_at = now()
             WHERE x.id = ANY($1::bigint[]) AND x.status IN ('sending', 'deferred')
            RETURNING x.id, x.workspace_id, x.status, x.reason
        )
        INSERT INTO outreach_execution_events (workspace_id, execution_id, status, reason)
        SELECT workspace_id, id, status, reason FROM up WHERE status <> 'sent'
        """

    /// The outcome of nearly every send, `sent`, on its `sending` row: only the provider's id
    /// varies. Each `($n::text[])[i]` of ``recordOutcomesByID`` walks its array from the start
    /// (text elements have no fixed offset), so its five text arrays cost a quarter of the
    /// update (4.5 ms against 3.4 ms for 400 rows).
    static let recordSentByID = """
        UPDATE outreach_executions x
           SET status = 'sent', reason = NULL,
               provider_message_id = coalesce(($2::text[])[width_bucket(x.id, $1::bigint[])], x.provider_message_id),
               error_code = NULL, error_message = NULL, sent_at = now(), updated_at = now()
         WHERE x.id = ANY($1::bigint[]) AND x.status IN ('sending', 'deferred')
        """

    func binds(_ records: [ExecutionRecord]) -> [any PostgresEncodable] {
        let c = records.map(\.context)
        return [
            c.map(\.job.workspaceID), c.map(\.enrollmentID), c.map(\.sequenceID), c.map(\.stepPosition), c.map(\.contactID),
            c.map { $0.entity?.type.rawValue ?? "lead" }, c.map { $0.entity?.id ?? "" }, c.map { $0.channel?.rawValue ?? "email" },
            c.map(\.templateName), c.map(\.idempotencyKey), records.map(\.status.rawValue), records.map(\.reason),
            records.map(\.providerMessageID), records.map(\.errorCode), records.map(\.storedErrorMessage),
        ]
    }

    /// Returns the idempotency keys now in `sending` that this worker may send, each with its
    /// execution row's id.
    public func markSending(_ contexts: [SendContext], on db: PostgresConnection) async throws -> [String: Int64] {
        guard !contexts.isEmpty else { return [:] }
        let records = contexts.map { ExecutionRecord(context: $0, status: .sending) }
        var sendable: [String: Int64] = [:]
        for row in try await db.query(Self.markSending, binds(records)) {
            sendable[try row.decode("idempotency_key")] = try row.decode("id")
        }
        return sendable
    }

    /// Writes each outcome: on its row by id when the record carries one, else under its key.
    public func recordOutcomes(_ records: [ExecutionRecord], on db: PostgresConnection) async throws {
        let byID = records.filter { $0.executionID != nil }.sortedByID { $0.executionID! }
        let sent = byID.filter(\.isPlainSend)
        let known = byID.filter { !$0.isPlainSend }
        let keyed = records.filter { $0.executionID == nil }
        if !sent.isEmpty {
            try await db.query(Self.recordSentByID, [sent.map { $0.executionID! }, sent.map(\.providerMessageID)]
                               as [any PostgresEncodable])
        }
        if !known.isEmpty {
            try await db.query(Self.recordOutcomesByID, [
                known.map { $0.executionID! }, known.map(\.status.rawValue), known.map(\.reason), known.map(\.providerMessageID),
                known.map(\.errorCode), known.map(\.storedErrorMessage),
            ] as [any PostgresEncodable])
        }
        if !keyed.isEmpty {
            try await db.query(Self.recordOutcomes, binds(keyed))
        }
    }

    // MARK: Enrollment progress

    /// Moves past the step just handled: to the next step after its delay, or completed. Keyed
    /// on the version this worker holds; a lost race is re-read by the caller.
    static let advance = """
        UPDATE outreach_enrollments e
           SET current_step = e.current_step + 1,
               status = CASE WHEN ($4::float8[])[width_bucket(e.id, $1::bigint[])] IS NULL AND e.status = 'active' THEN 'completed'
                             WHEN ($5::bool[])[width_bucket(e.id, $1::bigint[])] THEN 'failed' ELSE e.status END,
               completed_at = CASE WHEN ($4::float8[])[width_bucket(e.id, $1::bigint[])] IS NULL THEN now() ELSE e.completed_at END,
               next_run_at = CASE WHEN ($4::float8[])[width_bucket(e.id, $1::bigint[])] IS NULL
                                       OR ($5::bool[])[width_bucket(e.id, $1::bigint[])] THEN NULL
                                  ELSE now() + make_interval(secs => ($4::float8[])[width_bucket(e.id, $1::bigint[])]) END,
               last_error = coalesce(($6::text[])[width_bucket(e.id, $1::bigint[])], e.last_error),
               version = e.version + 1,
               updated_at = now()
         WHERE e.id = ANY($1::bigint[]) AND e.version = ($2::int[])[width_bucket(e.id, $1::bigint[])]
           AND e.current_step = ($3::int[])[width_bucket(e.id, $1::bigint[])]
        RETURNING e.id
        """

    static let reread = "SELECT id, version, current_step FROM outreach_enrollments WHERE id = ANY($1::bigint[])"

    /// The advance statement's parameters, for items in ascending enrollment id.
    static func binds(_ items: [Advance]) -> [any PostgresEncodable] {
        [items.map(\.enrollmentID), items.map(\.version), items.map(\.step), items.map(\.nextDelay), items.map(\.fail), items.map(\.error)]
    }

    public struct Advance: Sendable {
        public var enrollmentID: Int64
        public var version: Int
        public var step: Int
        public var nextDelay: Double?
        public var fail: Bool
        public var error: String?

        public init(enrollmentID: Int64, version: Int, step: Int, nextDelay: Double?, fail: Bool = false, error: String? = nil) {
            self.enrollmentID = enrollmentID
            self.version = version
            self.step = step
            self.nextDelay = nextDelay
            self.fail = fail
            self.error = error
        }
    }

    /// Rows are found with `id = ANY($1)` and read their values at `width_bucket(id, $1)` over ids in ascending order
    /// rather than by joining `unnest(...)`: every plan, the prepared statement's generic one
    /// included, is then primary-key lookups (see `JobQueue` for what the join cost). No join at
    /// all, not even to compute the position once: joined to itself, the table was hashed whole
    /// in most of a benchmark's batches (20 000 enrollments read to update 200).
    ///
    /// Advances enrollments with optimistic locking; a version that moved on (a pause, the
    /// scheduler) is re-read and the update retried while the enrollment is still on that step.
    public func advance(_ items: [Advance], on db: PostgresConnection) async throws {
        var pending = items.sortedByID(\.enrollmentID)
        for _ in 0..<5 where !pending.isEmpty {
            let done = Set(try await db.query(Self.advance, Self.binds(pending)).map { try $0.decode("id", as: Int64.self) })
            let lost = pending.filter { !done.contains($0.enrollmentID) }
            guard !lost.isEmpty else { return }
            var current: [Int64: (version: Int, step: Int)] = [:]
            for row in try await db.query(Self.reread, [lost.map(\.enrollmentID)] as [any PostgresEncodable]) {
                current[try row.decode("id")] = (try row.decode("version"), try row.decode("current_step"))
            }
            // Re-decide: only an enrollment still on this step needs the advance.
            pending = lost.compactMap { item in
                guard let now = current[item.enrollmentID], now.step == item.step else { return nil }
                var retry = item
                retry.version = now.version
                return retry
            }
        }
    }

    // MARK: Suppression

    static let suppress = """
        INSERT INTO outreach_suppressions (workspace_id, channel, address, reason, source)
        SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[])
        ON CONFLICT DO NOTHING
        """

    public func suppress(_ items: [(workspace: UUID, channel: Channel, address: String, reason: String)], source: String,
                         on db: PostgresConnection) async throws {
        guard !items.isEmpty else { return }
        try await db.query(Self.suppress, [items.map(\.workspace), items.map(\.channel.rawValue), items.map(\.address),
                                           items.map(\.reason), items.map { _ in source }] as [any PostgresEncodable])
    }
}

extension UUID {
    /// Byte order, which is also the order of `uuidString` and of Postgres' `uuid` type, without
    /// building two strings per comparison (sorting a batch's keys did that hundreds of times).
    func precedes(_ other: UUID) -> Bool {
        withUnsafeBytes(of: uuid) { a in withUnsafeBytes(of: other.uuid) { b in a.lexicographicallyPrecedes(b) } }
    }
}
