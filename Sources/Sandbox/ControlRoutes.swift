/// The sandbox's own endpoints under `/_sandbox`, for tests, demos and benchmarks. No
/// latency, faults or rate limits apply to them.
///
/// - `GET /_sandbox/messages[?channel=email|whatsapp|telegram]`: accepted messages in
///   acceptance order.
/// - `DELETE /_sandbox/messages`: forgets messages and idempotency keys.
/// - `GET /_sandbox/stats`: counters per channel.
/// - `GET /_sandbox/health`: `{"status":"ok"}`.
struct ControlRoutes: Sendable {
    let services: SandboxServices

    /// `GET /_sandbox/messages`.
    func messages(_ request: SandboxRequest) -> SandboxResponse {
        var channel: ProviderChannel? = nil
        if let query = request.query, let name = FormDecoding.decode(Array(query.utf8))["channel"] {
            guard let known = ProviderChannel(rawValue: name) else {
                return SandboxResponse.json(.badRequest, ["error": "channel must be one of email, whatsapp, telegram"])
            }
            channel = known
        }
        return SandboxResponse.json(.ok, .array(services.store.messages(channel: channel).map(\.json)))
    }

    /// `DELETE /_sandbox/messages`.
    func removeMessages() -> SandboxResponse {
        SandboxResponse.json(.ok, ["deleted": .int(services.store.removeAll())])
    }

    /// `GET /_sandbox/stats`.
    func statistics() -> SandboxResponse {
        SandboxResponse.json(.ok, services.store.statistics())
    }

    /// `GET /_sandbox/health`.
    func health() -> SandboxResponse {
        SandboxResponse.json(.ok, ["status": "ok"])
    }
}
