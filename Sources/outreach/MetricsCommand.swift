import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres

/// `outreach metrics --workspace W [--since 7d] [--json]`.
struct MetricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics", abstract: "Sends, deliveries, opens, clicks, replies, bounces, blocks and deferrals per channel and step.")

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "The period: Nd (days) or Nh (hours) back from now.") var since = "7d"
    @OptionGroup var output: OutputOptions

    static func seconds(_ text: String) throws -> TimeInterval {
        let unit = text.last
        guard let unit, let n = Int(text.dropLast()), n > 0, n <= 3650 * 24 else {
            throw OutreachError.badInput("--since '\(text)' is not Nd or Nh, e.g. 7d")
        }
        switch unit {
        case "d": return Double(n) * 86_400
        case "h": return Double(n) * 3_600
        default: throw OutreachError.badInput("--since '\(text)' is not Nd or Nh, e.g. 7d")
        }
    }

    func run() async throws {
        let span = try Self.seconds(since)
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let ws = try await workspace.resolve(on: db)
        let now = Date()
        let report = try await MetricsStore().report(workspace: ws.id, since: now.addingTimeInterval(-span),
                                                     until: now.addingTimeInterval(1), on: db)
        if output.json { output.printJSON(report); return }
        func line(_ name: String, _ c: MetricsCounts) -> String {
            let pct: (Double?) -> String = { $0.map { String(format: "%.1f%%", $0) } ?? "-" }
            return "  \(name): sent \(c.sent), delivered \(c.delivered), opened \(c.opened), clicked \(c.clicked), "
                + "replied \(c.replied), bounced \(c.bounced), blocked \(c.blocked), deferred \(c.deferred)"
                + "  (delivery \(pct(c.deliveryRate)), open \(pct(c.openRate)), reply \(pct(c.replyRate)))"
        }
        print("metrics for \(ws.name), last \(since):")
        print("channels:" + (report.channels.isEmpty ? " no executions" : ""))
        for row in report.channels { print(line(row.channel.rawValue, row.counts)) }
        if !report.blockedByReason.isEmpty {
            print("blocked by reason:")
            for row in report.blockedByReason { print("  \(row.channel.rawValue) \(row.reason): \(row.count)") }
        }
        if !report.steps.isEmpty {
            print("sequence steps:")
            for row in report.steps {
                print(line(row.sequence.map { "\($0) step \(row.step ?? 0)" } ?? "one-off sends", row.counts))
            }
        }
    }
}
