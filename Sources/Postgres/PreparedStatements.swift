import CLibPQ

/// The server-side prepared statements of one session, by SQL text.
///
/// The worker runs the same dozen statements thousands of times a minute; parsing and planning
/// them each time cost about as much server CPU as running them (measured with
/// `pg_stat_statements.track_planning`). A statement is prepared on its first run and executed by
/// name afterwards; the server re-plans it by itself when a table it reads changes.
///
/// Confined to its session's serial queue, like the `PGconn*` it describes.
struct PreparedStatements {
    struct Statement {
        let name: String
        /// The parameter types it was prepared with: a call that binds differently (say, `bytea`
        /// where it first bound text) runs unprepared rather than against the wrong types.
        let types: [Oid]
    }

    /// Ad-hoc statements (admin commands, tests) must not pile up on a long-lived session.
    static let capacity = 256

    private var byText: [String: Statement] = [:]
    private var counter = 0

    func statement(for sql: String, types: UnsafeBufferPointer<Oid>) -> Statement? {
        guard let statement = byText[sql], statement.types.elementsEqual(types) else { return nil }
        return statement
    }

    /// A fresh name for `sql`, or nil when the cache is full.
    mutating func reserveName() -> String? {
        guard byText.count < Self.capacity else { return nil }
        counter += 1
        return "outreach_\(counter)"
    }

    mutating func insert(_ sql: String, name: String, types: UnsafeBufferPointer<Oid>) {
        byText[sql] = Statement(name: name, types: Array(types))
    }

    mutating func remove(_ sql: String) -> Statement? {
        byText.removeValue(forKey: sql)
    }

    /// A new session (after `PQreset`) has none of them.
    mutating func removeAll() {
        byText.removeAll()
    }
}
