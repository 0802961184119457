import JSON
import Hummingbird
import HummingbirdTesting
import Sandbox

/// A sandbox application for one test: no latency, port 0, fresh state.
func makeSandbox(_ configure: (inout SandboxConfiguration) -> Void = { _ in }) -> some ApplicationProtocol {
    var configuration = SandboxConfiguration()
    configuration.latency = .zero
    configuration.port = 0
    configure(&configuration)
    return Sandbox(configuration: configuration).makeApplication()
}

extension TestResponse {
    /// The body parsed as JSON (`null` when it is not JSON).
    var json: JSONValue { JSONValue.parse(Array(body.readableBytesView)) ?? .null }
}

extension TestClientProtocol {
    /// POSTs `body` (a JSON text) with a content type and the given extra headers.
    func post(
        _ uri: String, json body: String, bearer: String? = nil, idempotencyKey: String? = nil,
        contentType: String = "application/json"
    ) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: contentType]
        if let bearer { headers[.authorization] = "Bearer \(bearer)" }
        if let idempotencyKey { headers[.init("Idempotency-Key")!] = idempotencyKey }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// `GET /_sandbox/messages` as a JSON array.
    func sandboxMessages(_ query: String = "") async throws -> [JSONValue] {
        try await execute(uri: "/_sandbox/messages" + query, method: .get).json.arrayValue ?? []
    }
}

let emailBody = #"{"from":"Acme <hi@acme.test>","to":["ana@example.com"],"subject":"Ciao","html":"<p>Ciao Ana</p>"}"#
let whatsAppText = #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"393331234567","type":"text","text":{"body":"Ciao"}}"#
