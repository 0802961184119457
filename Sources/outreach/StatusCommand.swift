import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import Postgres

/// `outreach status --workspace W --entity lead:42`.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "An entity's consent, enrollments and the timeline of its messages.")

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "The contact, TYPE:ID.") var entity: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let ref = try EntityRef(parsing: entity)
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let ws = try await workspace.resolve(on: db)
        let report = try await StatusService().status(of: ref, workspace: ws, on: db)
        if output.json { output.printSnakeJSON(report); return }
        let time: (Date?) -> String = { HumanTime.format($0, timezone: ws.timezone) }
        let c = report.contact
        print("\(ref)  \(c.name.isEmpty ? "(no name)" : c.name)\(c.company.map { ", \($0)" } ?? "")  status \(c.status)")
        print("  email \(c.email ?? "-")  phone \(c.phone ?? "-")  telegram \(c.telegramChatID ?? "-")  timezone \(c.timezone ?? ws.timezone)")
        print("consent:")
        for consent in report.consent {
            print("  \(consent.channel.rawValue): \(consent.status)"
                  + (consent.since.map { " since \(time($0))" } ?? "") + (consent.source.map { " (source \($0))" } ?? ""))
        }
        print("enrollments:" + (report.enrollments.isEmpty ? " none" : ""))
        for e in report.enrollments {
            let position = e.currentStep > e.steps ? "done" : "step \(e.currentStep)/\(e.steps)"
            print("  \(e.sequence): \(e.status.rawValue), \(position), next run \(time(e.nextRunAt))"
                  + (e.lastError.map { ", last error: \($0)" } ?? ""))
        }
        if !report.jobs.isEmpty {
            print("queued:")
            for j in report.jobs {
                let what = j.sequence.map { "\($0) step \(j.step ?? 0)" } ?? "one-off \(j.channel ?? "?") '\(j.template ?? "?")'"
                print("  job \(j.id) \(j.state): \(what), run at \(time(j.runAt)), attempt \(j.attempt)/\(j.maxAttempts)"
                      + (j.lastError.map { ", last error: \($0)" } ?? ""))
            }
        }
        print("timeline:" + (report.timeline.isEmpty ? " no messages yet" : ""))
        for t in report.timeline {
            let what = t.sequence.map { "\($0) step \(t.step ?? 0)" } ?? "one-off"
            print("  \(time(t.at))  \(t.channel.rawValue)  \(what)  \(t.template ?? "-")  \(t.status)"
                  + (t.reason.map { " (\($0))" } ?? ""))
        }
    }
}
