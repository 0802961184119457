import CLibPQ
import Foundation

/// Where a connection string came from, so error messages can name it.
enum ConnectionInfo {
    /// Resolves an explicit conninfo, else `DATABASE_URL`, else "" (libpq then reads `PGHOST`,
    /// `PGPORT`, `PGUSER`, … itself). Returns the string and a label for messages.
    static func resolve(
        _ conninfo: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> (conninfo: String, source: String) {
        if let conninfo { return (conninfo, "connection string") }
        if let url = environment["DATABASE_URL"], !url.isEmpty {
            return (url, "DATABASE_URL")
        }
        return ("", "PG* environment")
    }

    /// Parses the string with `PQconninfoParse` (no I/O), so malformed input fails fast with
    /// ``PostgresError/Code/invalidConfiguration`` instead of a confusing connection error.
    /// Returns the options that were set explicitly.
    @discardableResult
    static func validate(_ conninfo: String, source: String) throws -> [String: String] {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &errorMessage) else {
            let reason = errorMessage.map { oneLine(String(cString: $0)) } ?? "out of memory"
            if let errorMessage { PQfreemem(errorMessage) }
            throw PostgresError(
                code: .invalidConfiguration,
                message: "\(source) is not a valid PostgreSQL connection string: \(reason)")
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val {
                values[String(cString: keyword)] = String(cString: value)
            }
            option += 1
        }
        return values
    }

    /// libpq messages span lines ("…failed: Connection refused\n\tIs the server running…");
    /// logs want one.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
