import ArgumentParser
import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres

/// `outreach channel enable|disable|list`.
struct ChannelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channel", abstract: "Enable, disable and list a workspace's channels.",
        subcommands: [Enable.self, Disable.self, List.self])

    struct Settings: ParsableArguments {
        @OptionGroup var workspace: WorkspaceOptions
        @Option(help: "Channel: email, whatsapp or telegram.") var channel: Channel
        @Option(help: "Messages per day on this channel, in the workspace's time zone.") var dailyLimit: Int?
        @Option(help: "Email sender, \"Name <addr>\" (default RESEND_FROM).") var from: String?
        @Option(help: "WhatsApp sender phone number id (default WHATSAPP_PHONE_NUMBER_ID).") var phoneNumberId: String?
        @OptionGroup var output: OutputOptions

        func run(enabled: Bool) async throws {
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let ws = try await workspace.resolve(on: db)
            let status = try await ChannelService().configure(
                channel, enabled: enabled, dailyLimit: dailyLimit, from: from, phoneNumberID: phoneNumberId,
                environment: ProcessInfo.processInfo.environment, workspace: ws, on: db)
            if output.json { output.printSnakeJSON(status) } else {
                print("\(channel.rawValue) \(enabled ? "enabled" : "disabled") for \(ws.name): \(List.describe(status))")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a channel (and set its limit or sender).")
        @OptionGroup var settings: Settings
        func run() async throws { try await settings.run(enabled: true) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a channel: queued steps are blocked as channel_disabled.")
        @OptionGroup var settings: Settings
        func run() async throws { try await settings.run(enabled: false) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show all three channels with today's sent count.")
        @OptionGroup var workspace: WorkspaceOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let db = try await PostgresConnection.connect()
            defer { db.close() }
            let ws = try await workspace.resolve(on: db)
            let channels = try await ChannelService().list(workspace: ws, on: db)
            if output.json { output.printSnakeJSON(channels) } else {
                for c in channels {
                    print("\(c.channel.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0))"
                          + "\((c.enabled ? "enabled" : "disabled").padding(toLength: 9, withPad: " ", startingAt: 0))"
                          + Self.describe(c))
                }
            }
        }

        static func describe(_ c: ChannelStatus) -> String {
            var parts = ["sent today \(c.sentToday)\(c.dailyLimit.map { "/\($0)" } ?? " (no limit)") on \(c.day)"]
            if let from = c.sender["from"] { parts.append("from \(from)") }
            if let id = c.sender["phone_number_id"] { parts.append("phone number id \(id)") }
            if let until = c.pausedUntil { parts.append("PAUSED until \(until) (\(c.pauseReason ?? "no reason"))") }
            return parts.joined(separator: ", ")
        }
    }
}
