import ArgumentParser

/// The `outreach` command: every process of the fleet and every admin command.
struct Outreach: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outreach",
        abstract: "Multi-channel outreach sequences (email, WhatsApp, Telegram) on PostgreSQL.",
        subcommands: [
            MigrateCommand.self,
            WorkspaceCommand.self,
            TemplateCommand.self,
            SchedulerCommand.self,
            WorkerCommand.self,
            ServeCommand.self,
            SandboxCommand.self,
            DemoCommand.self,
            BenchCommand.self,
            ContactsCommand.self,
            ConsentCommand.self,
            ChannelCommand.self,
            SequenceCommand.self,
            EnrollCommand.self,
            EnrollmentCommand.self,
            SendCommand.self,
            StatusCommand.self,
            MetricsCommand.self,
            AskCommand.self,
        ]
    )
}
