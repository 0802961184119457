import ArgumentParser
import OutreachEngine
import Postgres

/// `outreach enroll --workspace W --sequence NAME (--entity lead:42 … | --where status=new)`.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll", abstract: "Enroll contacts in a sequence (enrolling twice is a no-op).")

    @OptionGroup var workspace: WorkspaceOptions
    @Option(help: "Sequence name.") var sequence: String
    @OptionGroup var selection: ContactSelectionOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let selector = try selection.selector()
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let report = try await EnrollmentService().enroll(selector, sequence: sequence, workspace: try await workspace.resolve(on: db),
                                                          on: db)
        if output.json { output.printSnakeJSON(report) } else {
            print("\(report.sequence): \(report.enrolled) enrolled, \(report.alreadyEnrolled) already enrolled"
                  + " (\(report.matched) contact\(report.matched == 1 ? "" : "s") matched)")
        }
    }
}
