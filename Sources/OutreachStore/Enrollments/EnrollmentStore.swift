import Foundation
import OutreachCore
import Postgres

/// Enrollments (`outreach_enrollments`): enrolling contacts and the optimistic-locking update
/// loop every enrollment change goes through (SPEC §4).
///
/// The rule: read `(id, status, version, …)`, decide, then
/// `UPDATE … SET …, version = version + 1 WHERE id = $1 AND version = $2`. If no row matched,
/// someone else changed the enrollment in between: re-read and decide again (never overwrite).
/// ``update(id:maxAttempts:on:decide:)`` is that loop; admin commands and the worker both use it.
public struct EnrollmentStore: Sendable {
    static let columnNames = [
        "id", "workspace_id", "sequence_id", "contact_id", "entity_type", "entity_id", "status", "current_step",
        "next_run_at", "version", "last_error", "completed_at",
    ]
    static let columns = columnNames.joined(separator: ", ")
    /// The same columns qualified with the alias `e`.
    static let eColumns = columnNames.map { "e." + $0 }.joined(separator: ", ")

    static let selectOne = "SELECT \(columns) FROM outreach_enrollments WHERE id = $1"

    /// The conditional update. `$5` picks the `next_run_at` rule (see ``EnrollmentChange/NextRun``).
    static let update = """
        UPDATE outreach_enrollments e
           SET status = $3::text,
               current_step = coalesce($4::int, e.current_step),
               next_run_at = CASE $5::text
                   WHEN 'keep' THEN e.next_run_at
                   WHEN 'clear' THEN NULL
                   WHEN 'at' THEN $6::timestamptz
                   WHEN 'after' THEN now() + make_interval(secs => $7::float8)
                   WHEN 'rearm' THEN CASE
                       WHEN EXISTS (SELECT 1 FROM outreach_jobs j
                                    WHERE j.dedupe_key = 'step:' || e.id || ':' || coalesce($4::int, e.current_step))
                       THEN NULL
                       ELSE coalesce(e.next_run_at, now()) END
               END,
               last_error = CASE $8::text WHEN 'keep' THEN e.last_error WHEN 'clear' THEN NULL ELSE $9::text END,
               completed_at = CASE WHEN $3::text = 'completed' THEN coalesce(e.completed_at, now()) ELSE e.completed_at END,
               version = e.version + 1
         WHERE e.id = $1 AND e.version = $2
        RETURNING \(eColumns)
        """

    /// Enrolls the selected contacts (``ContactSelectionSQL/targets``, `$1…$6`) in sequence `$7`,
    /// due after step 1's delay; an existing enrollment is left alone. One statement, set-based.
    static let enroll = """
        WITH targets AS (\(ContactSelectionSQL.targets)),
        ins AS (
            INSERT INTO outreach_enrollments
                (workspace_id, sequence_id, contact_id, entity_type, entity_id, status, current_step, next_run_at)
            SELECT $1, $7::bigint, t.id, t.entity_type, t.entity_id, 'active', 1,
                   now() + (SELECT st.delay FROM outreach_sequence_steps st WHERE st.sequence_id = $7::bigint AND st.position = 1)
            FROM targets t
            ON CONFLICT (sequence_id, entity_type, entity_id) DO NOTHING
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM targets)::int AS matched, (SELECT count(*) FROM ins)::int AS enrolled
        """

    /// An entity's enrollments in the workspace, optionally in one sequence, with sequence names.
    static let selectForEntity = """
        SELECT \(eColumns),
               s.name AS sequence_name,
               (SELECT count(*)::int FROM outreach_sequence_steps st WHERE st.sequence_id = e.sequence_id) AS step_count,
               e.created_at
        FROM outreach_enrollments e JOIN outreach_sequences s ON s.id = e.sequence_id
        WHERE e.workspace_id = $1 AND e.entity_type = $2 AND e.entity_id = $3
          AND ($4::bigint IS NULL OR e.sequence_id = $4::bigint)
        ORDER BY e.created_at, e.id
        """

    /// Bound on re-reads: contention on one enrollment is a handful of writers at most, so
    /// running out means something is wrong, and it is reported rather than retried forever.
    public static let defaultMaxAttempts = 16

    public init() {}

    // MARK: - Enrolling

    /// How many contacts the selector matched and how many were newly enrolled (the rest were
    /// enrolled already).
    public struct EnrollCounts: Sendable, Equatable, Codable {
        public var matched: Int
        public var enrolled: Int
        public var alreadyEnrolled: Int { matched - enrolled }
    }

    public func enroll(_ selector: ContactSelector, sequenceID: Int64, workspace: UUID,
                       on db: PostgresConnection) async throws -> EnrollCounts {
        let row = try await db.query(Self.enroll, ContactSelectionSQL.binds(workspace: workspace, selector) + [sequenceID as any PostgresEncodable])[0]
        return EnrollCounts(matched: try row.decode("matched"), enrolled: try row.decode("enrolled"))
    }

    // MARK: - Reading

    public func load(id: Int64, on db: PostgresConnection) async throws -> EnrollmentRecord? {
        try await db.query(Self.selectOne, [id]).first.map(Self.decode)
    }

    /// An enrollment with its sequence's name and length, as listed for an entity.
    public struct Listed: Sendable, Equatable, Codable {
        public var enrollment: EnrollmentRecord
        public var sequence: String
        public var stepCount: Int
        public var createdAt: Date
    }

    /// The entity's enrollments in the workspace (all sequences, or only `sequenceID`), oldest first.
    public func list(for entity: EntityRef, sequenceID: Int64? = nil, workspace: UUID,
                     on db: PostgresConnection) async throws -> [Listed] {
        try await db.query(Self.selectForEntity, [workspace, entity.type.rawValue, entity.id, sequenceID]).map { row in
            Listed(enrollment: try Self.decode(row), sequence: try row.decode("sequence_name"),
                   stepCount: try row.decode("step_count"), createdAt: try row.decode("created_at"))
        }
    }

    // MARK: - Optimistic updates

    /// Writes `change` if the enrollment is still at `version`; returns the new row, or nil when
    /// the version moved on (or the row is gone): re-read and decide again.
    public func apply(_ change: EnrollmentChange, id: Int64, version: Int, on db: PostgresConnection) async throws -> EnrollmentRecord? {
        var mode = "keep"
        var at: Date?
        var seconds: Double?
        switch change.nextRun {
        case .keep: mode = "keep"
        case .clear: mode = "clear"
        case .at(let date): mode = "at"; at = date
        case .after(let s): mode = "after"; seconds = s
        case .rearm: mode = "rearm"
        }
        var errorMode = "keep"
        var error: String?
        switch change.lastError {
        case .keep: errorMode = "keep"
        case .clear: errorMode = "clear"
        case .set(let text): errorMode = "set"; error = text
        }
        return try await db.query(Self.update, [
            id, version, change.status.rawValue, change.currentStep, mode, at, seconds, errorMode, error,
        ] as [any PostgresEncodable]).first.map(Self.decode)
    }

    /// The optimistic-locking loop: reads the enrollment, asks `decide` what to do with it as it
    /// is *now*, and writes the change conditional on the version read. A lost race re-reads
    /// and calls `decide` again with the fresh row, up to `maxAttempts` times; then it throws a
    /// `.conflict`. `decide` may be called more than once and must not have side effects it
    /// cannot repeat.
    nonisolated(nonsending) public func update(
        id: Int64, maxAttempts: Int = EnrollmentStore.defaultMaxAttempts, on db: PostgresConnection,
        decide: nonisolated(nonsending) (EnrollmentRecord) async throws -> EnrollmentDecision
    ) async throws -> EnrollmentUpdateOutcome {
        for attempt in 1...max(1, maxAttempts) {
            guard let current = try await load(id: id, on: db) else { return .missing }
            switch try await decide(current) {
            case .leave(let reason):
                return .left(current, reason: reason, attempts: attempt)
            case .change(let change):
                if let updated = try await apply(change, id: id, version: current.version, on: db) {
                    return .updated(updated, attempts: attempt)
                }
            }
        }
        throw OutreachError(.conflict, "enrollment \(id) kept changing under concurrent updates; gave up after \(maxAttempts) attempts")
    }

    static func decode(_ row: PostgresRow) throws -> EnrollmentRecord {
        let status: String = try row.decode("status")
        guard let parsed = EnrollmentStatus(rawValue: status) else {
            throw PostgresError(code: .decoding, message: "unknown enrollment status '\(status)'")
        }
        return EnrollmentRecord(
            id: try row.decode("id"), workspaceID: try row.decode("workspace_id"), sequenceID: try row.decode("sequence_id"),
            contactID: try row.decode("contact_id"), entity: try ContactStore.entity(row), status: parsed,
            currentStep: try row.decode("current_step"), nextRunAt: try row.decode("next_run_at"),
            version: try row.decode("version"), lastError: try row.decode("last_error"),
            completedAt: try row.decode("completed_at"))
    }
}
