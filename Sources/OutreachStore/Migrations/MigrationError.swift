/// A migration that could not be applied; the database is left as it was before that file.
public struct MigrationError: Error, CustomStringConvertible, Sendable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }
        /// The file's SQL failed; its transaction rolled back.
        public static let failed = Code(raw: "migration_failed")
        /// An applied file's SQL differs from what was recorded.
        public static let edited = Code(raw: "migration_edited")
    }

    public var code: Code
    /// The migration file, e.g. `0001_schema.sql`.
    public var file: String
    public var reason: String

    public var description: String { "migration \(file) failed: \(reason)" }
}
