import Foundation
import Postgres

/// Throwaway databases for tests that need a real PostgreSQL server.
///
/// Every test creates its own database, so tests run in parallel (and in parallel CI jobs)
/// without seeing each other's rows. If the server cannot be reached the tests *fail* with a
/// clear message — they never skip, so a CI run without Postgres cannot pass by accident.
public enum TestDatabase {
    /// The error thrown when no server is reachable or a database cannot be created.
    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String
    }

    /// The server to use: `DATABASE_URL`, or "" so libpq applies `PGHOST`/`PGPORT`/… .
    public static var serverURL: String {
        let url = ProcessInfo.processInfo.environment["DATABASE_URL"] ?? ""
        return url
    }

    /// Creates a uniquely named database (`outreach_t_<random>`) on the server named by
    /// `DATABASE_URL` (or the `PG*` variables) and returns a `postgresql://` URI for it, usable
    /// by this process and by child processes alike.
    public static func create() async throws -> String {
        try await create(server: serverURL)
    }

    /// Like ``create()`` on an explicit server (a URI or key=value string).
    public static func create(server: String) async throws -> String {
        let admin: PostgresConnection
        do {
            admin = try await PostgresConnection.connect(server)
        } catch {
            throw Unavailable(description: """
                Tests need a PostgreSQL server and could not reach one \
                (server: \(server.isEmpty ? "DATABASE_URL unset, using PG* variables" : redacted(server))): \(error). \
                Start a server and set DATABASE_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres
                """)
        }
        defer { admin.close() }
        let name = "outreach_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        do {
            // The name is generated above from hex digits, so it is a safe identifier.
            try await admin.simpleQuery("CREATE DATABASE \(name)")
        } catch {
            throw Unavailable(description: "could not create test database \(name): \(error)")
        }
        return try PostgresConnectionString.uri(server, database: name)
    }

    /// Drops a database made by ``create()``, disconnecting anyone still using it. Best effort:
    /// failures are ignored (a leftover `outreach_t_*` database is harmless).
    public static func drop(_ url: String) async {
        guard let name = try? PostgresConnectionString.options(url)["dbname"],
            name.hasPrefix("outreach_t_"),
            name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" })
        else { return }
        guard let admin = try? await PostgresConnection.connect(serverURL) else { return }
        defer { admin.close() }
        try? await admin.simpleQuery("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs `body` with a fresh database URL and drops the database afterwards.
    public static func withDatabase<T>(_ body: (String) async throws -> T) async throws -> T {
        let url = try await create()
        do {
            let value = try await body(url)
            await drop(url)
            return value
        } catch {
            await drop(url)
            throw error
        }
    }

    /// `url` with any password replaced, for messages.
    static func redacted(_ url: String) -> String {
        guard var options = try? PostgresConnectionString.options(url), options["password"] != nil else {
            return url
        }
        options["password"] = "***"
        return PostgresConnectionString.uri(options)
    }
}
