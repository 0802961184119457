import Foundation
import OutreachStore
import Postgres

/// Helpers shared by the benchmarks: a throwaway workspace and child processes of this binary.
enum BenchSupport {
    static let createWorkspace = "INSERT INTO outreach_workspaces (name) VALUES ($1) RETURNING id"
    static let dropWorkspace = "DELETE FROM outreach_workspaces WHERE id = $1"
    static let insertNoops = """
        WITH ins AS (
            INSERT INTO outreach_jobs (workspace_id, kind) SELECT $1, 'noop' FROM generate_series(1, $2::int) RETURNING workspace_id
        ) INSERT INTO outreach_queue_workspaces (workspace_id) SELECT DISTINCT workspace_id FROM ins ON CONFLICT DO NOTHING
        """

    static func workspace(_ db: PostgresConnection, prefix: String) async throws -> UUID {
        _ = try await Migrator().migrate(on: db)
        return try await db.query(createWorkspace, ["\(prefix)-\(UUID().uuidString.prefix(8))"])[0].decode("id")
    }

    static func drop(_ ws: UUID, on db: PostgresConnection) async throws {
        try await db.query("DELETE FROM outreach_jobs WHERE workspace_id = $1", [ws])
        try await db.query(dropWorkspace, [ws])
    }

    static var executable: URL { URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath() }

    static func spawn(_ arguments: [String], environment: [String: String] = [:], output: Bool = false) throws -> Process {
        let p = Process()
        p.executableURL = executable
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.standardOutput = output ? FileHandle.standardError : FileHandle.nullDevice
        p.standardError = FileHandle.standardError
        try p.run()
        return p
    }

    static func wait(_ processes: [Process]) async {
        await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                for p in processes { p.waitUntilExit() }
                c.resume()
            }
        }
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    /// CPU seconds (user + system) a process has used, from /proc.
    static func cpuSeconds(pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let u = Double(fields[11]), let s = Double(fields[12]) else { return 0 }
        return (u + s) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Resident memory of a process in MB, from /proc.
    static func rssMB(pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return 0 }
        return kb / 1024
    }
}
