import ArgumentParser
import OutreachCore
import OutreachStore
import Postgres

/// `--workspace NAME_OR_ID`, taken by every admin command.
struct WorkspaceOptions: ParsableArguments {
    @Option(name: .long, help: "Workspace name or id.")
    var workspace: String

    func resolve(on db: PostgresConnection) async throws -> Workspace {
        try await WorkspaceStore().resolve(workspace, on: db)
    }
}

extension Channel: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
