import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// `outreach contacts import`: a CSV file validated row by row and written all-or-nothing.
public struct ContactImportService: Sendable {
    /// At most this many bad rows are listed in the error (the count is always exact).
    public static let listedErrors = 50

    public init() {}

    /// What an import did.
    public struct Report: Sendable, Equatable, Codable {
        public var rows: Int
        public var imported: Int
        public var updated: Int
        public var unchanged: Int
        /// Consent newly granted from the `consent` column, by channel.
        public var consentGranted: [String: Int]
        /// Consent entries of the `consent` column left as they were because the contact already had
        /// a consent record for that channel (granted, or revoked: a file never overrides a revocation).
        public var consentKept: Int
    }

    /// Validates every row of `csv`, then upserts all contacts and grants the consent column's
    /// channels (source `import`) in one transaction. Any bad row: `.badInput` listing each bad
    /// row's line and reason, and nothing is written.
    public func importCSV(_ csv: [UInt8], workspace: Workspace, lawfulBasis: String? = nil, actor: String,
                          on db: PostgresConnection) async throws -> Report {
        let parsed = try ContactCSV.read(csv)
        if !parsed.errors.isEmpty { throw Self.rejection(parsed.errors) }
        // A stable order keeps concurrent imports of overlapping files from deadlocking on row locks.
        let records = parsed.records.map(\.record).sorted {
            ($0.entity.type.rawValue, $0.entity.id) < ($1.entity.type.rawValue, $1.entity.id)
        }
        return try await db.transaction { tx in
            let counts = try await ContactStore().upsert(records, workspace: workspace.id, on: tx)
            var granted: [String: Int] = [:]
            var requested = 0
            for channel in Channel.allCases {
                let entities = records.filter { $0.consent.contains(channel) }.map(\.entity)
                guard !entities.isEmpty else { continue }
                requested += entities.count
                var start = 0
                var n = 0
                while start < entities.count {
                    let batch = Array(entities[start..<min(start + ContactStore.batchSize, entities.count)])
                    n += try await ConsentStore().grantIfAbsent(channel: channel, for: batch, workspace: workspace.id, source: "import",
                                                                lawfulBasis: lawfulBasis, actor: actor, on: tx)
                    start += ContactStore.batchSize
                }
                granted[channel.rawValue] = n
            }
            let grantedTotal = granted.values.reduce(0, +)
            return Report(rows: records.count, imported: counts.inserted, updated: counts.updated,
                          unchanged: records.count - counts.inserted - counts.updated,
                          consentGranted: granted, consentKept: requested - grantedTotal)
        }
    }

    /// One summary line, then one line per bad row (the first ``listedErrors``).
    static func rejection(_ errors: [ContactCSV.RowError]) -> OutreachError {
        var lines = ["\(errors.count) bad row\(errors.count == 1 ? "" : "s"); nothing was imported"]
        lines += errors.prefix(listedErrors).map(\.description)
        if errors.count > listedErrors { lines.append("… and \(errors.count - listedErrors) more") }
        return .badInput(lines.joined(separator: "\n  "))
    }
}
