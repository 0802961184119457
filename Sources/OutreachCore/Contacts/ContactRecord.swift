import Foundation

/// One validated contact, as imported from a CSV row: empty optional fields are `nil`, the phone
/// is normalised to `+digits` / `digits`, and `consent` lists the channels it grants.
public struct ContactRecord: Sendable, Equatable, Codable {
    public var entity: EntityRef
    public var name: String
    public var company: String?
    public var email: String?
    public var phone: String?
    public var telegramChatID: String?
    public var status: String
    public var timezone: String?
    public var consent: [Channel]

    public init(entity: EntityRef, name: String = "", company: String? = nil, email: String? = nil, phone: String? = nil,
                telegramChatID: String? = nil, status: String = "new", timezone: String? = nil, consent: [Channel] = []) {
        self.entity = entity
        self.name = name
        self.company = company
        self.email = email
        self.phone = phone
        self.telegramChatID = telegramChatID
        self.status = status
        self.timezone = timezone
        self.consent = consent
    }
}

/// Field rules shared by the CSV import and anything else that accepts contact data.
public enum ContactRules {
    /// A pragmatic address check: one `@`, a non-empty local part without spaces, a domain with a
    /// dot and no empty labels. (Full RFC 5322 accepts addresses no provider delivers to.)
    public static func isValidEmail(_ text: String) -> Bool {
        guard text.utf8.count <= 254, !text.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," }) else {
            return false
        }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" }
        }
    }

    /// `+` (optional) and 6–15 digits, as in E.164; spaces, dots, dashes and parentheses between
    /// digits are accepted and dropped. Returns the normalised number, or nil when invalid.
    public static func normalizedPhone(_ text: String) -> String? {
        var digits = ""
        var plus = false
        for (offset, ch) in text.enumerated() {
            if ch == "+", offset == 0 { plus = true; continue }
            if ch.isASCII, ch.isNumber { digits.append(ch); continue }
            if ch == " " || ch == "-" || ch == "." || ch == "(" || ch == ")" { continue }
            return nil
        }
        guard (6...15).contains(digits.count) else { return nil }
        return plus ? "+" + digits : digits
    }

    /// A Telegram chat id: an integer (negative for groups).
    public static func isValidTelegramChatID(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !body.isEmpty && body.count <= 20 && body.allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// An IANA time-zone name Foundation knows (`Europe/Rome`, `UTC`).
    public static func isValidTimeZone(_ text: String) -> Bool {
        TimeZone(identifier: text) != nil
    }
}
