import CLibPQ
import Foundation

/// Helpers for libpq connection strings (URI or key=value form), parsed by libpq itself.
public enum PostgresConnectionString {
    /// The options set explicitly in `conninfo` (`host`, `port`, `dbname`, `user`, …).
    /// Throws ``PostgresError/Code/invalidConfiguration`` when libpq cannot parse it.
    public static func options(_ conninfo: String) throws -> [String: String] {
        try ConnectionInfo.validate(conninfo, source: "connection string")
    }

    /// Rewrites `conninfo` (either form) as a `postgresql://` URI that connects to `database`
    /// instead, keeping every other option. Options libpq would take from `PG*` environment
    /// variables stay implicit, so the result works in processes that inherit the environment.
    public static func uri(_ conninfo: String, database: String) throws -> String {
        var options = try ConnectionInfo.validate(conninfo, source: "connection string")
        options["dbname"] = database
        return uri(options)
    }

    /// Builds a URI from libpq options; a single plain host and port go in the authority,
    /// everything else (socket directories, host lists, sslmode, …) in the query string.
    public static func uri(_ options: [String: String]) -> String {
        var options = options
        var text = "postgresql://"
        if let user = options.removeValue(forKey: "user") {
            text += encode(user)
            if let password = options.removeValue(forKey: "password") { text += ":" + encode(password) }
            text += "@"
        }
        if let host = options["host"], !host.isEmpty, !host.hasPrefix("/"), !host.contains(",") {
            options["host"] = nil
            text += host.contains(":") ? "[\(host)]" : encode(host)
            if let port = options["port"], !port.isEmpty, !port.contains(",") {
                options["port"] = nil
                text += ":" + port
            }
        }
        text += "/" + encode(options.removeValue(forKey: "dbname") ?? "")
        let query = options.sorted { $0.key < $1.key }.map { "\(encode($0.key))=\(encode($0.value))" }
        if !query.isEmpty { text += "?" + query.joined(separator: "&") }
        return text
    }

    private static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
