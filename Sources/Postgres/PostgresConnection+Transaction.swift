extension PostgresConnection {
    /// Runs `body` inside `BEGIN … COMMIT`. Any error thrown by `body` — including
    /// `CancellationError` — rolls the transaction back and is rethrown. A `COMMIT` that the server
    /// turns into a rollback (because a statement inside failed and the error was swallowed)
    /// throws instead of reporting success.
    ///
    /// Retry on ``PostgresError/isRetryable`` errors by calling `transaction` again.
    nonisolated(nonsending) public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted,
        _ body: nonisolated(nonsending) (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await query(isolation.beginStatement)
        let value: T
        do {
            value = try await body(self)
        } catch {
            await rollback()
            throw error
        }
        let commit: PostgresRows
        do {
            commit = try await query("COMMIT")
        } catch {
            await rollback()
            throw error
        }
        if commit.result?.commandTag == "ROLLBACK" {
            throw PostgresError(
                code: .server,
                message: "transaction was rolled back at COMMIT because a statement inside it failed",
                query: "COMMIT")
        }
        return value
    }

    /// Runs `body` in a transaction whose row-level-security scope is `workspaceID`
    /// (`set_config('outreach.workspace_id', $1, true)`, i.e. `SET LOCAL`: it ends with the
    /// transaction, so a pooled connection never leaks one tenant's scope to the next user).
    nonisolated(nonsending) public func withWorkspace<T: Sendable>(
        _ workspaceID: String,
        isolation: IsolationLevel = .readCommitted,
        _ body: nonisolated(nonsending) (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await transaction(isolation: isolation) { connection in
            try await connection.query("SELECT set_config('outreach.workspace_id', $1, true)", [workspaceID])
            return try await body(connection)
        }
    }

    /// Best effort: a failed ROLLBACK means the connection is gone, which ends the transaction too.
    func rollback() async {
        _ = try? await query("ROLLBACK")
    }
}
