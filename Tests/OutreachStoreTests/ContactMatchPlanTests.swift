import Foundation
@testable import OutreachStore
import Postgres
import Testing
import TestSupport

/// An inbound message finds its contact through an index, whatever the number of contacts.
@Suite struct ContactMatchPlanTests {
    @Test("inbound lookups by phone digits, address and chat id read their match, not every contact")
    func lookupsUseTheirIndexes() async throws {
        try await withMigratedDatabase { db in
            for name in ["north", "south"] {
                let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ($1) RETURNING id", [name])[0].decode("id")
                try await db.query("""
                    INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, email, phone, telegram_chat_id)
                    SELECT $1, 'lead', g::text, 'Contact ' || g, 'C' || g || '@Example.com',
                           '+39 333 ' || lpad(g::text, 7, '0'), (500000 + g)::text
                    FROM generate_series(1, 3000) g
                    """, [ws])
            }
            try await db.query("ANALYZE outreach_contacts")

            let lookups: [(String, [any PostgresEncodable])] = [
                (ContactMatchStore.byPhone, ["393330001234", String?.none]),
                (ContactMatchStore.byEmail, ["c1234@example.COM", String?.none]),
                (ContactMatchStore.byTelegramChat, ["501234"]),
            ]
            for (sql, binds) in lookups {
                let plan: String = try await db.query("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, binds)[0].decode(0)
                let scans = Self.scans(of: "outreach_contacts", in: try JSONSerialization.jsonObject(with: Data(plan.utf8)))
                // One match in each of the two workspaces, found by index; a scan of every
                // contact discarded the other 5 998.
                #expect(!scans.isEmpty && scans.allSatisfy { $0.type != "Seq Scan" }, "\(scans): \(plan)")
                #expect(scans.map(\.removed).reduce(0, +) == 0, "\(scans): \(plan)")
                let found = try await db.query(sql, binds)
                #expect(found.count == 2)
            }
        }
    }

    /// Node type and rows discarded by a filter, for every plan node that reads `relation`.
    static func scans(of relation: String, in json: Any) -> [(type: String, removed: Int)] {
        var found: [(type: String, removed: Int)] = []
        func walk(_ node: Any) {
            if let list = node as? [Any] { list.forEach(walk); return }
            guard let object = node as? [String: Any] else { return }
            if object["Relation Name"] as? String == relation {
                found.append((object["Node Type"] as? String ?? "?", object["Rows Removed by Filter"] as? Int ?? 0))
            }
            object.values.forEach(walk)
        }
        walk(json)
        return found
    }
}
