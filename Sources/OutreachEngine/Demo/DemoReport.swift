import Foundation
import OutreachCore
import Postgres

/// The demo's figures per channel, read from the executions of one workspace.
public struct DemoReport: Sendable {
    public struct Row: Sendable {
        public var channel: String
        public var counts: [String: Int]
        public var blockedByReason: [String: Int]
    }

    static let byStatus = """
        SELECT channel, status, coalesce(reason, '') AS reason, count(*)::int AS n
        FROM outreach_executions WHERE workspace_id = $1 GROUP BY 1, 2, 3
        """
    /// "sent" counts the messages a provider accepted (`sent_at`, as `/metrics` does), not the
    /// current statuses: a WhatsApp message reported failed after acceptance would otherwise
    /// make the running count go down.
    static let progress = """
        SELECT (SELECT count(*) FROM outreach_executions WHERE workspace_id = $1 AND sent_at IS NOT NULL)::int AS sent,
               (SELECT count(*) FROM outreach_executions WHERE workspace_id = $1 AND status IN ('skipped', 'blocked'))::int AS stopped,
               (SELECT count(*) FROM outreach_executions WHERE workspace_id = $1 AND status = 'deferred')::int AS deferred,
               (SELECT count(*) FROM outreach_jobs WHERE workspace_id = $1 AND state = 'queued' AND run_at <= now())::int AS due,
               (SELECT count(*) FROM outreach_jobs WHERE workspace_id = $1 AND state = 'running')::int AS running,
               (SELECT count(*) FROM outreach_due WHERE workspace_id = $1
                   AND run_at <= now() + interval '8 seconds')::int AS upcoming
        """

    public let rows: [Row]

    public static func load(workspace: UUID, on db: PostgresConnection) async throws -> DemoReport {
        var byChannel: [String: Row] = [:]
        for row in try await db.query(byStatus, [workspace]) {
            let channel: String = try row.decode("channel")
            let status: String = try row.decode("status")
            let reason: String = try row.decode("reason")
            let n: Int = try row.decode("n")
            var r = byChannel[channel] ?? Row(channel: channel, counts: [:], blockedByReason: [:])
            let delivered: Set = ["delivered", "opened", "read", "clicked", "replied"]
            let column: String
            switch status {
            case "sent", "delivered", "opened", "read", "clicked", "replied", "bounced", "complained": column = "sent"
            default: column = status
            }
            r.counts[column, default: 0] += n
            if delivered.contains(status) { r.counts["delivered", default: 0] += n }
            if ["opened", "read", "clicked", "replied"].contains(status) { r.counts["opened", default: 0] += n }
            if status == "replied" { r.counts["replied", default: 0] += n }
            if status == "bounced" { r.counts["bounced", default: 0] += n }
            if status == "blocked" { r.blockedByReason[reason, default: 0] += n }
            byChannel[channel] = r
        }
        return DemoReport(rows: Channel.allCases.map { byChannel[$0.rawValue] ?? Row(channel: $0.rawValue, counts: [:], blockedByReason: [:]) })
    }

    /// (sent, skipped+blocked, deferred, due jobs, running jobs, enrollments due within seconds)
    public static func progress(workspace: UUID, on db: PostgresConnection) async throws -> [String: Int] {
        let row = try await db.query(progress, [workspace])[0]
        var out: [String: Int] = [:]
        for key in ["sent", "stopped", "deferred", "due", "running", "upcoming"] { out[key] = try row.decode(key) }
        return out
    }

    /// The final table: one line per channel.
    public var table: String {
        let columns = ["sent", "delivered", "opened", "replied", "bounced", "skipped", "blocked", "deferred", "failed", "unknown"]
        var lines = ["channel   " + columns.map { $0.padding(toLength: 10, withPad: " ", startingAt: 0) }.joined()]
        for r in rows {
            lines.append(r.channel.padding(toLength: 10, withPad: " ", startingAt: 0)
                + columns.map { String(r.counts[$0] ?? 0).padding(toLength: 10, withPad: " ", startingAt: 0) }.joined())
        }
        lines.append("")
        lines.append("blocked by reason:")
        for r in rows where !r.blockedByReason.isEmpty {
            let reasons = r.blockedByReason.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append("  \(r.channel): \(reasons)")
        }
        return lines.joined(separator: "\n")
    }
}
