import ArgumentParser
import OutreachCore
import OutreachEngine
import Postgres

/// `outreach enrollment pause|resume|cancel --workspace W --entity lead:42 [--sequence NAME]`.
struct EnrollmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrollment", abstract: "Pause, resume or cancel an entity's enrollments.",
        subcommands: [Pause.self, Resume.self, Cancel.self])

    struct Arguments: ParsableArguments {
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "The contact, TYPE:ID.") var entity: String
        @Option(help: "Only the enrollment in this sequence (default: all of the entity's enrollments).") var sequence: String?
        @OptionGroup var output: OutputOptions

        func run(_ action: EnrollmentAction) async throws {
            let ref = try EntityRef(parsing: entity)
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let ws = try await workspace.resolve(on: db)
            let results = try await EnrollmentService().control(action, entity: ref, sequence: sequence, workspace: ws, on: db)
            if output.json { output.printSnakeJSON(results) } else {
                for r in results {
                    switch r.outcome {
                    case .changed:
                        print("\(ref) in \(r.sequence): \(r.from.rawValue) → \(r.status.rawValue)"
                              + (r.status == .active ? ", next run \(HumanTime.format(r.nextRunAt, timezone: ws.timezone))" : ""))
                    case .already:
                        print("\(ref) in \(r.sequence): already \(r.status.rawValue)")
                    case .refused:
                        print("\(ref) in \(r.sequence): unchanged (\(r.reason ?? r.status.rawValue))")
                    }
                }
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause: nothing more is sent until resumed.")
        @OptionGroup var arguments: Arguments
        func run() async throws { try await arguments.run(.pause) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused enrollment where it stopped.")
        @OptionGroup var arguments: Arguments
        func run() async throws { try await arguments.run(.resume) }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel for good.")
        @OptionGroup var arguments: Arguments
        func run() async throws { try await arguments.run(.cancel) }
    }
}
