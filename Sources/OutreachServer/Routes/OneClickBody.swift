import Foundation

/// Recognises the RFC 8058 one-click body `List-Unsubscribe=One-Click`, sent by mailbox
/// providers as `application/x-www-form-urlencoded` or `multipart/form-data`. Pure.
enum OneClickBody {
    static let field = "List-Unsubscribe"
    static let value = "One-Click"

    /// Whether `body` carries `List-Unsubscribe=One-Click` in the encoding `contentType` names
    /// (form-urlencoded when absent).
    static func isOneClick(_ body: [UInt8], contentType: String?) -> Bool {
        let type = contentType.map { $0.split(separator: ";").first.map(String.init) ?? "" }?
            .trimmingCharacters(in: .whitespaces).lowercased()
        switch type {
        case nil, "", "application/x-www-form-urlencoded":
            return formURLEncoded(body)
        case "multipart/form-data":
            guard let boundary = contentType.flatMap(Self.boundary) else { return false }
            return multipart(body, boundary: boundary)
        default:
            return false
        }
    }

    static func formURLEncoded(_ body: [UInt8]) -> Bool {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            if decode(parts[0]) == field && decode(parts[1]) == value { return true }
        }
        return false
    }

    private static func decode(_ component: Substring) -> String? {
        component.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    static func boundary(_ contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            let raw = pair[1].trimmingCharacters(in: .whitespaces)
            let unquoted = raw.hasPrefix("\"") && raw.hasSuffix("\"") && raw.count >= 2 ? String(raw.dropFirst().dropLast()) : raw
            return unquoted.isEmpty ? nil : unquoted
        }
        return nil
    }

    static func multipart(_ body: [UInt8], boundary: String) -> Bool {
        let text = String(decoding: body, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        for part in text.components(separatedBy: "--" + boundary) {
            guard let split = part.range(of: "\n\n") else { continue }
            let headers = part[..<split.lowerBound].lowercased()
            guard headers.contains("name=\"\(field.lowercased())\"") else { continue }
            if part[split.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines) == value { return true }
        }
        return false
    }
}
