import Foundation
import Testing

@Suite("Operations: unit settings, env example and docker files")
struct UnitSettingsTests {
    static let worker = "systemd/outreach-worker@.service"

    @Test func workerDrainsOnSigtermWithinItsGracePeriod() throws {
        #expect(try OperationsFiles.value("ExecStart", in: Self.worker) == "/usr/local/bin/outreach worker --name %i")
        #expect(try OperationsFiles.value("Restart", in: Self.worker) == "on-failure")
        #expect(try OperationsFiles.value("KillSignal", in: Self.worker) == "SIGTERM")
        let timeout = try #require(Int(try OperationsFiles.value("TimeoutStopSec", in: Self.worker) ?? ""))
        #expect(timeout > 30 && timeout <= 90, "stop timeout must exceed the worker's 30 s grace period, with a margin")
    }

    @Test func schedulerIsAOneshotTickEveryFiveMinutes() throws {
        #expect(try OperationsFiles.value("Type", in: "systemd/outreach-scheduler.service") == "oneshot")
        #expect(try OperationsFiles.value("ExecStart", in: "systemd/outreach-scheduler.service")
            == "/usr/local/bin/outreach scheduler --once")
        #expect(try OperationsFiles.value("OnCalendar", in: "systemd/outreach-scheduler.timer") == "*:0/5")
        #expect(try OperationsFiles.value("Persistent", in: "systemd/outreach-scheduler.timer") == "true")
    }

    @Test(arguments: OperationsFiles.units().filter { $0.hasSuffix(".service") })
    func servicesAreHardenedAndReadTheEnvironmentFile(unit: String) throws {
        let expected = [
            "EnvironmentFile": "/etc/outreach/outreach.env", "NoNewPrivileges": "yes", "ProtectSystem": "strict",
            "ProtectHome": "yes", "PrivateTmp": "yes", "DynamicUser": "yes",
            "RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
        ]
        for (key, value) in expected {
            #expect(try OperationsFiles.value(key, in: unit) == value, "\(unit): \(key)")
        }
    }

    @Test func environmentExampleDocumentsEveryVariableOfSpec11() throws {
        let text = try OperationsFiles.text("systemd/outreach.env.example")
        let variables = [
            "DATABASE_URL", "RESEND_API_KEY", "RESEND_BASE_URL", "RESEND_FROM", "RESEND_WEBHOOK_SECRET",
            "WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_API_VERSION", "WHATSAPP_BASE_URL",
            "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "TELEGRAM_BOT_TOKEN", "TELEGRAM_BASE_URL",
            "TELEGRAM_WEBHOOK_SECRET", "OUTREACH_PUBLIC_URL", "OUTREACH_KILL_SWITCH", "OUTREACH_PILOT_WORKSPACES",
            "OUTREACH_ADMIN_TOKEN",
        ]
        let lines = text.split(separator: "\n").map { $0.hasPrefix("#") ? $0.dropFirst() : $0 }
        for variable in variables {
            #expect(lines.contains { $0.hasPrefix("\(variable)=") }, "outreach.env.example lacks \(variable)")
        }
    }

    @Test func dockerfileIsMultiStageWithASlimNonRootRuntime() throws {
        let text = try OperationsFiles.text("docker/Dockerfile")
        let stages = text.split(separator: "\n").filter { $0.hasPrefix("FROM ") }
        #expect(stages.count >= 2)
        #expect(text.contains("--static-swift-stdlib"))
        #expect(text.contains("libpq5") && text.contains("libcurl4") && text.contains("ca-certificates"))
        #expect(!text.contains("libpq-dev libcurl4-openssl-dev libssl-dev\n") || text.contains("AS builder"))
        let user = try #require(text.split(separator: "\n").last { $0.hasPrefix("USER ") })
        #expect(!user.contains("root"))
        #expect(text.contains(#"ENTRYPOINT ["/usr/local/bin/outreach"]"#))
    }

    @Test func composeRunsTheWholeFleet() throws {
        let text = try OperationsFiles.text("docker/compose.yaml")
        for service in ["postgres:", "migrate:", "scheduler:", "worker:", "serve:"] {
            #expect(text.contains("\n  \(service)"), "compose lacks \(service)")
        }
        #expect(text.contains("replicas:"))
        #expect(text.contains(#"["scheduler", "--every", "300"]"#))
        #expect(text.contains("service_completed_successfully"))
    }
}
