import Foundation
import OutreachCore
import Postgres

/// Sequences and their steps: `outreach_sequences`, `outreach_sequence_steps`.
public struct SequenceStore: Sendable {
    static let insertSequence = """
        INSERT INTO outreach_sequences (workspace_id, name, send_window) VALUES ($1, $2, $3::jsonb)
        ON CONFLICT (workspace_id, name) DO NOTHING
        RETURNING id
        """

    /// All steps in one statement; `$4` delays in seconds become intervals.
    static let insertSteps = """
        INSERT INTO outreach_sequence_steps
            (workspace_id, sequence_id, position, channel, template_name, delay, condition, whatsapp_template)
        SELECT $1, $2, s.position, s.channel, s.template_name, make_interval(secs => s.delay_seconds), s.condition,
               s.whatsapp_template
        FROM unnest($3::int[], $4::float8[], $5::text[], $6::text[], $7::text[], $8::jsonb[])
             AS s(position, delay_seconds, channel, template_name, condition, whatsapp_template)
        """

    static let selectByName = """
        SELECT s.id, s.name, (SELECT count(*)::int FROM outreach_sequence_steps st WHERE st.sequence_id = s.id) AS steps
        FROM outreach_sequences s WHERE s.workspace_id = $1 AND s.name = $2
        """

    static let templateKeys = "SELECT name, channel FROM outreach_templates WHERE workspace_id = $1"

    /// Each sequence with its steps and its enrollments counted by status.
    static let list = """
        SELECT s.id, s.name, s.send_window, s.created_at,
               (SELECT coalesce(jsonb_agg(jsonb_build_object(
                            'position', st.position, 'channel', st.channel, 'template', st.template_name,
                            'delay_seconds', extract(epoch FROM st.delay)::float8, 'condition', st.condition)
                        ORDER BY st.position), '[]'::jsonb)
                  FROM outreach_sequence_steps st WHERE st.sequence_id = s.id) AS steps,
               (SELECT coalesce(jsonb_object_agg(x.status, x.n), '{}'::jsonb)
                  FROM (SELECT e.status, count(*) AS n FROM outreach_enrollments e
                        WHERE e.sequence_id = s.id GROUP BY e.status) x) AS enrollments
        FROM outreach_sequences s WHERE s.workspace_id = $1
        ORDER BY s.name
        """

    public init() {}

    /// Inserts the sequence and its steps (positions 1…n). Call inside a transaction. A name that
    /// exists in the workspace is a `.conflict`. The definition must have been validated.
    public func create(_ definition: SequenceDefinition, workspace: UUID, on db: PostgresConnection) async throws -> SequenceRef {
        let window = try definition.sendWindow.map { try PostgresJSON(WindowJSON(days: $0.days, hours: $0.hours)) }
        guard let row = try await db.query(Self.insertSequence, [workspace, definition.name, window]).first else {
            throw OutreachError(.conflict, "sequence '\(definition.name)' already exists in this workspace")
        }
        let id: Int64 = try row.decode("id")
        let steps = definition.steps
        var delays: [Double] = []
        for step in steps { delays.append(Double(try DelaySpec.seconds(step.delay ?? "0h"))) }
        let whatsapp: [PostgresJSON?] = try steps.map { try $0.whatsappTemplate.map { try PostgresJSON($0) } }
        try await db.query(Self.insertSteps, [
            workspace, id, Array(1...steps.count), delays, steps.map(\.channel.rawValue), steps.map(\.template),
            steps.map { ($0.condition ?? .always).rawValue }, whatsapp,
        ] as [any PostgresEncodable])
        return SequenceRef(id: id, name: definition.name, stepCount: steps.count)
    }

    /// The sequence named `name`, or nil.
    public func find(name: String, workspace: UUID, on db: PostgresConnection) async throws -> SequenceRef? {
        try await db.query(Self.selectByName, [workspace, name]).first.map { row in
            SequenceRef(id: try row.decode("id"), name: try row.decode("name"), stepCount: try row.decode("steps"))
        }
    }

    /// Every (template name, channel) the workspace has, for validating step references.
    public func templateKeys(workspace: UUID, on db: PostgresConnection) async throws -> Set<TemplateKey> {
        Set(try await db.query(Self.templateKeys, [workspace]).map { row in
            TemplateKey(name: try row.decode("name"), channel: try ConsentStore.channel(row))
        })
    }

    public func list(workspace: UUID, on db: PostgresConnection) async throws -> [SequenceSummary] {
        try await db.query(Self.list, [workspace]).map { row in
            let window: PostgresJSON? = try row.decode("send_window")
            let steps: PostgresJSON = try row.decode("steps")
            let counts: PostgresJSON = try row.decode("enrollments")
            return SequenceSummary(
                id: try row.decode("id"), name: try row.decode("name"),
                sendWindow: try window.map { try $0.decode(SequenceDefinition.Window.self) },
                steps: try steps.decode([SequenceSummary.Step].self), enrollments: try counts.decode([String: Int].self),
                createdAt: try row.decode("created_at"))
        }
    }

    /// `send_window` as stored: `{"days": …, "hours": …}`.
    struct WindowJSON: Encodable {
        var days: String?
        var hours: String?
    }
}

/// A sequence's identity and length.
public struct SequenceRef: Sendable, Equatable, Codable {
    public var id: Int64
    public var name: String
    public var stepCount: Int
}

/// A template's identity within a workspace.
public struct TemplateKey: Sendable, Hashable {
    public var name: String
    public var channel: Channel

    public init(name: String, channel: Channel) {
        self.name = name
        self.channel = channel
    }
}

/// A sequence as `outreach sequence list` shows it.
public struct SequenceSummary: Sendable, Equatable, Codable {
    public struct Step: Sendable, Equatable, Codable {
        public var position: Int
        public var channel: Channel
        public var template: String
        public var delaySeconds: Double
        public var condition: String

        enum CodingKeys: String, CodingKey {
            case position, channel, template, condition
            case delaySeconds = "delay_seconds"
        }
    }

    public var id: Int64
    public var name: String
    public var sendWindow: SequenceDefinition.Window?
    public var steps: [Step]
    /// Enrollment counts keyed by status (`active`, `paused`, …); absent statuses are zero.
    public var enrollments: [String: Int]
    public var createdAt: Date
}
