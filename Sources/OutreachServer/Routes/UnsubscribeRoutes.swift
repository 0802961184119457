import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OutreachEngine

/// One-click unsubscribe (RFC 8058, SPEC §7).
///
/// `POST /unsubscribe/{token}` with `List-Unsubscribe=One-Click` (form-urlencoded or multipart)
/// revokes email consent and answers 200 — no redirect, no cookies. `GET` shows a confirmation
/// page whose button makes that POST, and changes nothing (mail scanners prefetch links).
/// An unknown token is a 404 either way.
struct UnsubscribeRoutes: Sendable {
    static let maxBodyBytes = 16 * 1024

    let unsubscriber: Unsubscriber
    let logger: Logger

    func register(on router: Router<some RequestContext>) {
        router.get("/unsubscribe/{token}") { request, context in await confirmationPage(request, context) }
        router.post("/unsubscribe/{token}") { request, context in await unsubscribe(request, context) }
    }

    func confirmationPage(_ request: Request, _ context: some RequestContext) async -> Response {
        let token = context.parameters.get("token") ?? ""
        do {
            guard try await unsubscriber.exists(token: token) else { return Self.page(.notFound, Self.unknownHTML) }
        } catch {
            logger.error("unsubscribe page failed", metadata: ["error": "\(error)"])
            return Self.page(.internalServerError, Self.errorHTML)
        }
        return Self.page(.ok, Self.confirmationHTML(token: token))
    }

    func unsubscribe(_ request: Request, _ context: some RequestContext) async -> Response {
        let token = context.parameters.get("token") ?? ""
        let body: [UInt8]
        do {
            var request = request
            body = Array(try await request.collectBody(upTo: Self.maxBodyBytes).readableBytesView)
        } catch {
            return Self.page(.contentTooLarge, Self.badRequestHTML)
        }
        guard OneClickBody.isOneClick(body, contentType: request.headers[.contentType]) else {
            return Self.page(.badRequest, Self.badRequestHTML)
        }
        do {
            switch try await unsubscriber.unsubscribe(token: token) {
            case .unsubscribed, .alreadyUnsubscribed: return Self.page(.ok, Self.doneHTML)
            case .unknownToken: return Self.page(.notFound, Self.unknownHTML)
            }
        } catch {
            logger.error("unsubscribe failed", metadata: ["error": "\(error)"])
            return Self.page(.internalServerError, Self.errorHTML)
        }
    }

    // MARK: - Pages

    static func page(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var response = Responses.text(status, html, contentType: "text/html; charset=utf-8")
        // The token is in the URL: never leak it to another site, never let a page embed this.
        response.headers[.referrerPolicy] = "no-referrer"
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"
        return response
    }

    static func document(_ title: String, _ content: String) -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem}</style>
        </head><body>\(content)</body></html>

        """
    }

    /// Tokens are URL-safe (`[A-Za-z0-9_-]`, checked before the lookup), so they need no escaping.
    static func confirmationHTML(token: String) -> String {
        document("Unsubscribe", """
            <h1>Unsubscribe</h1>
            <p>Stop receiving these emails?</p>
            <form method="post" action="/unsubscribe/\(token)">
            <input type="hidden" name="List-Unsubscribe" value="One-Click">
            <button type="submit">Unsubscribe</button>
            </form>
            """)
    }

    static let doneHTML = document("Unsubscribed", "<h1>You are unsubscribed</h1><p>You will not receive these emails any more.</p>")
    static let unknownHTML = document("Link not valid", "<h1>This link is not valid</h1><p>It may have been mistyped.</p>")
    static let badRequestHTML = document("Bad request", "<h1>Bad request</h1><p>Expected List-Unsubscribe=One-Click.</p>")
    static let errorHTML = document("Try again later", "<h1>Something went wrong</h1><p>Please try again later.</p>")
}
