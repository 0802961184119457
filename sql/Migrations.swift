/// The schema migrations, embedded in the binary so that `outreach migrate` needs no files at
/// run time. The SQL lives in this folder (`sql/NNNN_name.sql`); a test checks that every file
/// here is listed below, in order.
public enum Migrations {
    /// A migration: its file name (the version recorded in `outreach_schema_migrations`) and its SQL.
    public struct File: Sendable {
        public let name: String
        public let sql: String

        public init(name: String, sql: String) {
            self.name = name
            self.sql = sql
        }
    }

    /// Every migration, in the order it must be applied.
    public static let all: [File] = [
        File(name: "0001_schema.sql", sql: String(decoding: PackageResources._001_schema_sql, as: UTF8.self)),
        File(name: "0002_due_queue.sql", sql: String(decoding: PackageResources._002_due_queue_sql, as: UTF8.self)),
        File(name: "0003_hot_path.sql", sql: String(decoding: PackageResources._003_hot_path_sql, as: UTF8.self)),
        File(name: "0004_workspace_erase.sql", sql: String(decoding: PackageResources._004_workspace_erase_sql, as: UTF8.self)),
        File(name: "0005_room_for_updates.sql", sql: String(decoding: PackageResources._005_room_for_updates_sql, as: UTF8.self)),
        File(name: "0006_inbound_contact_lookup.sql",
             sql: String(decoding: PackageResources._006_inbound_contact_lookup_sql, as: UTF8.self)),
        File(name: "0007_identifier_collation.sql",
             sql: String(decoding: PackageResources._007_identifier_collation_sql, as: UTF8.self)),
        File(name: "0008_trigger_paths.sql", sql: String(decoding: PackageResources._008_trigger_paths_sql, as: UTF8.self)),
        File(name: "0009_jobs_due_index.sql", sql: String(decoding: PackageResources._009_jobs_due_index_sql, as: UTF8.self)),
        File(name: "0010_send_rows_workspace_guard.sql",
             sql: String(decoding: PackageResources._010_send_rows_workspace_guard_sql, as: UTF8.self)),
    ]
}
