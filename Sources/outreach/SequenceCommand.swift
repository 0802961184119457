import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres

/// `outreach sequence create|list`.
struct SequenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sequence", abstract: "Create and list outreach sequences.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a sequence from a JSON or YAML file.")
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "The sequence file (.json, .yaml or .yml).") var file: String
        @OptionGroup var output: OutputOptions

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw OutreachError.badInput("cannot read \(file): no such file or not readable")
            }
            guard let text = String(validating: data, as: UTF8.self) else { throw OutreachError.badInput("\(file) is not UTF-8 text") }
            let definition = try SequenceFile.decode(text, format: SequenceFile.format(path: file, contents: text))
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let created = try await SequenceService().create(definition, workspace: try await workspace.resolve(on: db), on: db)
            if output.json { output.printSnakeJSON(created) } else {
                print("created sequence \(created.name) with \(created.stepCount) step\(created.stepCount == 1 ? "" : "s")")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List sequences with their steps and enrollment counts.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let sequences = try await SequenceService().list(workspace: try await workspace.resolve(on: db), on: db)
            if output.json { output.printSnakeJSON(sequences) } else if sequences.isEmpty {
                print("no sequences")
            } else {
                for s in sequences {
                    let steps = s.steps.map { "\($0.channel.rawValue):\($0.template)+\(Self.delay($0.delaySeconds))" }
                    let counts = EnrollmentStatus.allCases.compactMap { st in s.enrollments[st.rawValue].map { "\(st.rawValue) \($0)" } }
                    let window = s.sendWindow.map { "\t(window \($0.days ?? "all") \($0.hours ?? "00:00-24:00"))" } ?? ""
                    print("\(s.name)\t\(steps.joined(separator: " → "))\t\(counts.isEmpty ? "no enrollments" : counts.joined(separator: ", "))\(window)")
                }
            }
        }

        /// 172800 → `48h`, 90 → `90s`.
        static func delay(_ seconds: Double) -> String {
            let s = Int(seconds)
            if s == 0 { return "0h" }
            if s % 3600 == 0 { return "\(s / 3600)h" }
            if s % 60 == 0 { return "\(s / 60)m" }
            return "\(s)s"
        }
    }
}
