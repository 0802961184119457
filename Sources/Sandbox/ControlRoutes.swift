import Hummingbird

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

    func register(on router: Router<SandboxRequestContext>) {
        let group = router.group("_sandbox")
        group.get("messages") { request, _ in
            var channel: ProviderChannel? = nil
            if let name = request.uri.queryParameters["channel"] {
                guard let known = ProviderChannel(rawValue: String(name)) else {
                    return SandboxResponses.json(.badRequest, ["error": "channel must be one of email, whatsapp, telegram"])
                }
                channel = known
            }
            let messages = await services.store.messages(channel: channel)
            return SandboxResponses.json(.ok, .array(messages.map(\.json)))
        }
        group.delete("messages") { _, _ in
            let deleted = await services.store.removeAll()
            return SandboxResponses.json(.ok, ["deleted": .int(deleted)])
        }
        group.get("stats") { _, _ in
            SandboxResponses.json(.ok, await services.store.statistics())
        }
        group.get("health") { _, _ in
            SandboxResponses.json(.ok, ["status": "ok"])
        }
    }
}
