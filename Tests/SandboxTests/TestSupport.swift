import HTTPClient
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

/// Calls the sandbox behind `client` over a connection of its own (libcurl's), for what the
/// test client's single connection cannot do: a second request while one is in flight, or
/// one after the sandbox closed a connection.
struct SecondConnection: Sendable {
    let base: String
    let http: HTTPClient

    init(port: Int) {
        base = "http://127.0.0.1:\(port)"
        http = HTTPClient()
    }

    /// POSTs a JSON text; the status and the body as JSON (`null` when it is not JSON).
    func post(_ path: String, json body: String, bearer: String? = nil, idempotencyKey: String? = nil,
              replayable: Bool = true) async throws -> (status: Int, json: JSONValue) {
        var headers = [(name: "Content-Type", value: "application/json")]
        if let bearer { headers.append((name: "Authorization", value: "Bearer \(bearer)")) }
        if let idempotencyKey { headers.append((name: "Idempotency-Key", value: idempotencyKey)) }
        var request = HTTPClient::HTTPRequest(method: "POST", url: base + path, headers: headers, body: Array(body.utf8),
                                              timeout: .seconds(5))
        request.replayable = replayable
        let response = try await http.execute(request)
        return (response.status, JSONValue.parse(response.body) ?? .null)
    }

    func shutdown() { http.shutdown() }
}

let emailBody = #"{"from":"Acme <hi@acme.test>","to":["ana@example.com"],"subject":"Ciao","html":"<p>Ciao Ana</p>"}"#
let whatsAppText = #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"393331234567","type":"text","text":{"body":"Ciao"}}"#
