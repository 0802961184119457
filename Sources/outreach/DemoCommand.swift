import ArgumentParser
import Foundation
import OutreachEngine
import OutreachStore
import Postgres

/// `outreach demo`: the sandbox, a scheduler and two workers against the database in
/// DATABASE_URL, on a generated workspace; a progress line while it runs, a table at the end.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the whole engine on generated data against the provider sandbox.")

    @Option(help: "Contacts to generate.") var contacts = 3000
    @Option(help: "Sandbox port.") var port = 19_090
    @Option(help: "Port for `outreach serve` (webhooks from the sandbox).") var servePort = 18_080

    func run() async throws {
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let stop = SignalLatch([SIGINT, SIGTERM])
        _ = try await Migrator().migrate(on: db)
        print("seeding workspace 'demo' with \(contacts) contacts, 3 sequences over email, WhatsApp and Telegram…")
        fflush(nil)  // flush stdout before the progress line writes unbuffered
        let ws = try await DemoSeed(contacts: contacts).seed(on: db)

        let sandboxURL = "http://127.0.0.1:\(port)"
        let serveURL = "http://127.0.0.1:\(servePort)"
        var env = ProcessInfo.processInfo.environment
        env.merge([
            "RESEND_API_KEY": "re_demo", "RESEND_BASE_URL": sandboxURL, "RESEND_FROM": "Demo <hello@demo.test>",
            "RESEND_WEBHOOK_SECRET": "whsec_ZGVtby1yZXNlbmQtc2VjcmV0LWtleQ==",
            "WHATSAPP_ACCESS_TOKEN": "EAAdemo", "WHATSAPP_PHONE_NUMBER_ID": "1234567890", "WHATSAPP_BASE_URL": sandboxURL,
            "WHATSAPP_APP_SECRET": "demo-app-secret", "WHATSAPP_VERIFY_TOKEN": "demo-verify",
            "TELEGRAM_BOT_TOKEN": "123456:demo", "TELEGRAM_BASE_URL": sandboxURL, "TELEGRAM_WEBHOOK_SECRET": "demo-telegram-secret",
            "OUTREACH_PUBLIC_URL": serveURL, "OUTREACH_RATE_RESEND": "2000", "OUTREACH_RATE_WHATSAPP": "2000",
            "OUTREACH_RATE_TELEGRAM": "2000", "OUTREACH_LOG_LEVEL": "warning",
        ]) { $1 }
        var children = Children(environment: env)
        defer { children.stopAll() }
        try children.start("sandbox", ["sandbox", "--port", "\(port)", "--latency-ms", "50", "--webhooks", serveURL])
        if Outreach.configuration.subcommands.contains(where: { $0.configuration.commandName == "serve" }) {
            try children.start("serve", ["serve", "--port", "\(servePort)"])
        }
        try children.start("scheduler", ["scheduler", "--every", "1"])
        try children.start("worker-1", ["worker", "--name", "demo-1", "--concurrency", "100"])
        try children.start("worker-2", ["worker", "--name", "demo-2", "--concurrency", "100"])

        let started = ContinuousClock.now
        var quietSince: ContinuousClock.Instant?
        while !stop.fired {
            try await Task.sleep(for: .milliseconds(500))
            let p = try await DemoReport.progress(workspace: ws, on: db)
            let elapsed = Double((ContinuousClock.now - started).components.seconds)
            let line = String(format: "\r%4.0fs  sent %5d  skipped/blocked %5d  deferred %5d  queued %5d  in flight %4d   ",
                              elapsed, p["sent"]!, p["stopped"]!, p["deferred"]!, p["due"]!, p["running"]!)
            FileHandle.standardOutput.write(Data(line.utf8))
            let idle = p["due"]! == 0 && p["running"]! == 0 && p["upcoming"]! == 0
            quietSince = idle ? (quietSince ?? .now) : nil
            // Quiet for a few seconds (late webhooks included), or a hard cap.
            if let since = quietSince, ContinuousClock.now - since > .seconds(4) { break }
            if ContinuousClock.now - started > .seconds(300) { break }
        }
        print("\n\nstopping the fleet…")
        children.stopAll()
        print(try await DemoReport.load(workspace: ws, on: db).table)
        print("\n(deferred: daily limit or 24 h cool-down, queued for later; `outreach status --workspace demo --entity lead:3` shows one contact's timeline)")
    }
}

/// The demo's child processes: started with this executable, stopped with SIGTERM.
struct Children {
    let environment: [String: String]
    var processes: [(String, Process)] = []

    init(environment: [String: String]) {
        self.environment = environment
    }

    mutating func start(_ name: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        processes.append((name, process))
    }

    mutating func stopAll() {
        for (_, p) in processes where p.isRunning { p.terminate() }
        for (_, p) in processes { p.waitUntilExit() }
        processes.removeAll()
    }
}
