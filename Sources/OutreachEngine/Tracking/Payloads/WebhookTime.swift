import Foundation

/// Timestamps as providers write them.
enum WebhookTime {
    /// Unix seconds (number or decimal text), or nil.
    static func unixSeconds(_ value: PayloadJSON) -> Date? {
        value.int64.map { Date(timeIntervalSince1970: TimeInterval($0)) }
    }

    /// ISO 8601 with or without fractional seconds (`2024-11-22T23:41:12.126Z`), or nil.
    static func iso8601(_ value: PayloadJSON) -> Date? {
        guard let text = value.string else { return nil }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        return plain.date(from: text)
    }
}

/// Addresses as providers write them.
enum WebhookAddress {
    /// `"Name <a@b.c>"` or `"a@b.c"` → `"a@b.c"`, lower-cased; nil when there is no `@`.
    static func email(_ text: String) -> String? {
        var address = Substring(text)
        if let open = text.lastIndex(of: "<"), let close = text.lastIndex(of: ">"), open < close {
            address = text[text.index(after: open)..<close]
        }
        let trimmed = address.trimmingCharacters(in: .whitespaces).lowercased()
        guard trimmed.contains("@"), trimmed.count <= 320 else { return nil }
        return trimmed
    }

    /// The digits of a phone number (`+39 333-12` → `3933312`); nil when there are none.
    static func phoneDigits(_ text: String) -> String? {
        let digits = String(text.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }.map(Character.init))
        return digits.isEmpty || digits.count > 20 ? nil : digits
    }
}
