import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres

/// `outreach template add|list|validate`.
struct TemplateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template", abstract: "Manage message templates.",
        subcommands: [Add.self, List.self, Validate.self])

    /// The template source given on the command line, read and checked as UTF-8.
    struct Source: ParsableArguments {
        @Option(help: "Template name.") var name: String
        @Option(help: "Channel: email, whatsapp or telegram.") var channel: Channel
        @Option(help: "Email subject (email only).") var subject: String?
        @Option(help: "File with the body (HTML for email).") var bodyFile: String
        @Option(help: "File with the email's plain-text part (default: derived from the HTML).") var textFile: String?

        func draft() throws -> TemplateDraft {
            TemplateDraft(name: name, channel: channel, subject: subject, body: try Self.read(bodyFile),
                          textBody: try textFile.map(Self.read))
        }

        static func read(_ path: String) throws -> String {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw OutreachError.badInput("cannot read \(path): no such file or not readable")
            }
            guard let text = String(validating: data, as: UTF8.self) else {
                throw OutreachError.badInput("\(path) is not UTF-8 text")
            }
            return text
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate and save a template (replaces one of the same name and channel).")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var source: Source
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let draft = try source.draft()
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let saved = try await TemplateService().add(draft, workspace: try await workspace.resolve(on: db), on: db)
            if output.json { output.printJSON(saved) } else {
                let vars = saved.variables.isEmpty ? "no variables" : saved.variables.joined(separator: ", ")
                print("saved template \(saved.name) (\(saved.channel.rawValue)): \(vars)")
            }
        }
    }

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check a template file without saving it.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var source: Source
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let draft = try source.draft()
            let variables = try await check(draft)
            let list = variables.isEmpty ? "none" : variables.joined(separator: ", ")
            if output.json {
                output.printJSON(ValidationReport(valid: true, variables: variables))
            } else {
                print("template \(draft.name) is valid; variables: \(list)")
            }
        }

        // A separate function: Swift 6.3's optimizer crashed splitting the coroutine when this
        // lived inline in run() (release builds only).
        private func check(_ draft: TemplateDraft) async throws -> [String] {
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let target = try await workspace.resolve(on: db)
            return try await TemplateService().check(draft, workspace: target, on: db)
        }
    }

    struct ValidationReport: Encodable {
        var valid: Bool
        var variables: [String]
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a workspace's templates.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let templates = try await TemplateService().list(workspace: try await workspace.resolve(on: db), on: db)
            if output.json { output.printJSON(templates) } else if templates.isEmpty {
                print("no templates")
            } else {
                for t in templates {
                    print("\(t.name)\t\(t.channel.rawValue)\t\(t.variables.joined(separator: ","))")
                }
            }
        }
    }
}
