import ArgumentParser
import Foundation
import OutreachCore

/// `--entity TYPE:ID` (repeatable) or `--where FIELD=VALUE` (repeatable; all must hold).
struct ContactSelectionOptions: ParsableArguments {
    @Option(name: .customLong("entity"), help: "A contact as TYPE:ID (lead:42); repeat for several.")
    var entities: [String] = []

    @Option(name: .customLong("where"), help: "Select contacts by status=V, company=V or entity_type=V; repeat to combine.")
    var filters: [String] = []

    func selector() throws -> ContactSelector {
        try ContactSelector(entities: entities, filters: filters)
    }
}

/// Who the CLI acts as in audit trails (consent history): `$USER`, else `cli`.
enum CLIActor {
    static var name: String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? ""
        return user.isEmpty ? "cli" : user
    }
}

extension OutputOptions {
    /// JSON with snake_case keys and ISO 8601 dates, for the admin commands' `--json`.
    func printSnakeJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Times for people: in the workspace's time zone, to the second.
enum HumanTime {
    static func format(_ date: Date?, timezone: String) -> String {
        guard let date else { return "-" }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: timezone) ?? .gmt
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss zzz"
        return formatter.string(from: date)
    }
}
