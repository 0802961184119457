import Foundation
import OutreachCore
import Postgres

/// Reads and writes `outreach_contacts`.
public struct ContactStore: Sendable {
    /// Set-based upsert of a batch (one statement per batch, arrays through `unnest`). A row
    /// whose values did not change is not rewritten. Reports inserted and updated counts.
    static let upsertBatch = """
        WITH up AS (
            INSERT INTO outreach_contacts AS c
                (workspace_id, entity_type, entity_id, name, company, email, phone, telegram_chat_id, status, timezone)
            SELECT $1, r.* FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                                       $8::text[], $9::text[], $10::text[]) AS r
            ON CONFLICT (workspace_id, entity_type, entity_id) DO UPDATE
               SET name = EXCLUDED.name, company = EXCLUDED.company, email = EXCLUDED.email, phone = EXCLUDED.phone,
                   telegram_chat_id = EXCLUDED.telegram_chat_id, status = EXCLUDED.status, timezone = EXCLUDED.timezone
             WHERE (c.name, c.company, c.email, c.phone, c.telegram_chat_id, c.status, c.timezone)
                   IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.company, EXCLUDED.email, EXCLUDED.phone,
                                     EXCLUDED.telegram_chat_id, EXCLUDED.status, EXCLUDED.timezone)
            RETURNING (xmax = 0) AS inserted
        )
        SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM up
        """

    /// The requested entities that are not contacts of the workspace, in the order asked.
    static let missing = """
        SELECT e.t AS entity_type, e.i AS entity_id
        FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS e(t, i, n)
        WHERE NOT EXISTS (SELECT 1 FROM outreach_contacts c
                          WHERE c.workspace_id = $1 AND c.entity_type = e.t AND c.entity_id = e.i)
        ORDER BY e.n
        """

    static let selectOne = """
        SELECT id, entity_type, entity_id, name, company, email, phone, telegram_chat_id, status, timezone,
               attributes, created_at, updated_at
        FROM outreach_contacts WHERE workspace_id = $1 AND entity_type = $2 AND entity_id = $3
        """

    /// Rows per upsert statement: large enough to amortise round trips, small enough to keep
    /// each bind under a few megabytes.
    public static let batchSize = 5000

    public init() {}

    /// Inserted and updated counts of one ``upsert(_:workspace:on:)``.
    public struct UpsertCounts: Sendable, Equatable {
        public var inserted: Int
        public var updated: Int
    }

    /// Upserts records on (workspace, entity_type, entity_id) in batches of ``batchSize``. Run it
    /// inside a transaction for all-or-nothing. Entities must be unique within `records`.
    public func upsert(_ records: [ContactRecord], workspace: UUID, on db: PostgresConnection) async throws -> UpsertCounts {
        var counts = UpsertCounts(inserted: 0, updated: 0)
        var start = 0
        while start < records.count {
            let batch = records[start..<min(start + Self.batchSize, records.count)]
            let row = try await db.query(Self.upsertBatch, [
                workspace, batch.map(\.entity.type.rawValue), batch.map(\.entity.id), batch.map(\.name), batch.map(\.company),
                batch.map(\.email), batch.map(\.phone), batch.map(\.telegramChatID), batch.map(\.status), batch.map(\.timezone),
            ] as [any PostgresEncodable])[0]
            counts.inserted += try row.decode("inserted", as: Int.self)
            counts.updated += try row.decode("updated", as: Int.self)
            start += Self.batchSize
        }
        return counts
    }

    /// Which of `entities` do not exist in the workspace (empty when all do).
    public func missing(_ entities: [EntityRef], workspace: UUID, on db: PostgresConnection) async throws -> [EntityRef] {
        guard !entities.isEmpty else { return [] }
        return try await db.query(Self.missing, [workspace, entities.map(\.type.rawValue), entities.map(\.id)] as [any PostgresEncodable])
            .map(Self.entity)
    }

    /// Throws `.notFound` naming every entity of `selector` that is not a contact of the workspace.
    public func requireExisting(_ selector: ContactSelector, workspace: Workspace, on db: PostgresConnection) async throws {
        guard case .entities(let refs) = selector else { return }
        let absent = try await missing(refs, workspace: workspace.id, on: db)
        guard absent.isEmpty else {
            throw OutreachError.notFound(
                "no contact \(absent.map(\.description).joined(separator: ", ")) in workspace \(workspace.name)")
        }
    }

    public func find(_ entity: EntityRef, workspace: UUID, on db: PostgresConnection) async throws -> StoredContact? {
        guard let row = try await db.query(Self.selectOne, [workspace, entity.type.rawValue, entity.id]).first else { return nil }
        let attributes: PostgresJSON = try row.decode("attributes")
        return StoredContact(
            id: try row.decode("id"), entity: try Self.entity(row), name: try row.decode("name"), company: try row.decode("company"),
            email: try row.decode("email"), phone: try row.decode("phone"), telegramChatID: try row.decode("telegram_chat_id"),
            status: try row.decode("status"), timezone: try row.decode("timezone"),
            attributes: (try? attributes.decode([String: JSONScalar].self).mapValues(\.text)) ?? [:],
            createdAt: try row.decode("created_at"), updatedAt: try row.decode("updated_at"))
    }

    /// `entity_type` and `entity_id` columns as an ``EntityRef``.
    static func entity(_ row: PostgresRow) throws -> EntityRef {
        let type: String = try row.decode("entity_type")
        guard let kind = EntityRef.Kind(rawValue: type) else { throw PostgresError(code: .decoding, message: "unknown entity_type '\(type)'") }
        return EntityRef(type: kind, id: try row.decode("entity_id"))
    }
}

/// A JSON attribute value shown as text (strings as-is, anything else as its JSON form).
struct JSONScalar: Decodable {
    var text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let s = try? container.decode(String.self) { text = s }
        else if let b = try? container.decode(Bool.self) { text = String(b) }
        else if let i = try? container.decode(Int64.self) { text = String(i) }
        else if let d = try? container.decode(Double.self) { text = String(d) }
        else if container.decodeNil() { text = "null" }
        else { text = "…" }
    }
}
