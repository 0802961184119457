import Foundation

/// The one-click unsubscribe URL the worker puts in every email's `List-Unsubscribe` header
/// (and body): `OUTREACH_PUBLIC_URL` + `/unsubscribe/` + the contact's `unsubscribe_token`.
public enum UnsubscribeLink {
    /// The path prefix `outreach serve` answers on.
    public static let pathPrefix = "/unsubscribe/"

    /// `base` (trailing slashes dropped) + `/unsubscribe/` + `token` (percent-encoded if it ever
    /// holds characters outside the URL-safe set; issued tokens do not).
    public static func url(base: String, token: String) -> String {
        var trimmed = Substring(base)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        // Issued tokens are URL-safe already; Foundation's encoder is only for anything else.
        let safe = token.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"): true
            default: false
            }
        }
        let encoded = safe ? token : token.addingPercentEncoding(withAllowedCharacters: .urlUnreservedSet) ?? token
        return trimmed + pathPrefix + encoded
    }

    /// ``url(base:token:)`` with `OUTREACH_PUBLIC_URL`; nil when that is unset or empty.
    public static func url(token: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let base = environment["OUTREACH_PUBLIC_URL"], !base.isEmpty else { return nil }
        return url(base: base, token: token)
    }

    /// The RFC 8058 header pair for an email, or nil without a public URL.
    public static func headers(token: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String]? {
        guard let link = url(token: token, environment: environment) else { return nil }
        return ["List-Unsubscribe": "<\(link)>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"]
    }
}

extension CharacterSet {
    /// RFC 3986 unreserved characters: `A-Z a-z 0-9 - . _ ~`.
    static let urlUnreservedSet = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
