import Foundation

/// The contacts CSV of `outreach contacts import` (SPEC §11):
/// `entity_type,entity_id,name,company,email,phone,telegram_chat_id,status,timezone[,consent]`.
///
/// Columns may come in any order; every required column must be present and no other column may
/// be. Every row is checked, and all problems are reported together, each with its line number.
public enum ContactCSV {
    public static let requiredColumns = [
        "entity_type", "entity_id", "name", "company", "email", "phone", "telegram_chat_id", "status", "timezone",
    ]
    public static let optionalColumns = ["consent"]

    /// A row that failed validation.
    public struct RowError: Sendable, Equatable, Codable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// The outcome of reading a file: the valid records (with their lines) and every bad row.
    public struct Parsed: Sendable {
        public var records: [(line: Int, record: ContactRecord)]
        public var errors: [RowError]
    }

    /// Parses and validates a whole file. Throws `.badInput` for problems with the file itself
    /// (encoding, quoting, header); per-row problems are returned in `errors`.
    public static func read(_ bytes: [UInt8]) throws(OutreachError) -> Parsed {
        let rows = try CSVParser.parse(bytes)
        guard let header = rows.first else { throw .badInput("the file is empty (expected a header line)") }
        let columns = try columnIndex(header.fields)
        var records: [(line: Int, record: ContactRecord)] = []
        records.reserveCapacity(rows.count - 1)
        var errors: [RowError] = []
        var seen: [EntityRef: Int] = [:]
        for row in rows.dropFirst() {
            do throws(OutreachError) {
                let record = try validate(row.fields, columns: columns, width: header.fields.count)
                if let first = seen.updateValue(row.line, forKey: record.entity) {
                    throw .badInput("\(record.entity) appears again (first on line \(first))")
                }
                records.append((row.line, record))
            } catch {
                errors.append(RowError(line: row.line, reason: error.message))
            }
        }
        return Parsed(records: records, errors: errors)
    }

    /// Maps column names to positions; unknown, missing or repeated columns are an error.
    static func columnIndex(_ header: [String]) throws(OutreachError) -> [String: Int] {
        var index: [String: Int] = [:]
        var unknown: [String] = []
        for (position, raw) in header.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces).lowercased()
            guard requiredColumns.contains(name) || optionalColumns.contains(name) else {
                unknown.append(raw.isEmpty ? "(empty)" : raw)
                continue
            }
            guard index.updateValue(position, forKey: name) == nil else {
                throw .badInput("line 1: column '\(name)' appears twice in the header")
            }
        }
        if !unknown.isEmpty {
            throw .badInput("line 1: unknown column\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")) (expected \((requiredColumns + ["[consent]"]).joined(separator: ",")))")
        }
        let missing = requiredColumns.filter { index[$0] == nil }
        if !missing.isEmpty {
            throw .badInput("line 1: missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))")
        }
        return index
    }

    static func validate(_ fields: [String], columns: [String: Int], width: Int) throws(OutreachError) -> ContactRecord {
        guard fields.count == width else {
            throw .badInput("has \(fields.count) field\(fields.count == 1 ? "" : "s"), the header has \(width)")
        }
        func value(_ column: String) -> String? {
            guard let position = columns[column] else { return nil }
            let text = fields[position].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        guard let typeText = value("entity_type") else { throw .badInput("entity_type is empty") }
        guard let type = EntityRef.Kind(rawValue: typeText.lowercased()) else {
            throw .badInput("entity_type '\(typeText)' is not lead or prospect")
        }
        guard let id = value("entity_id") else { throw .badInput("entity_id is empty") }
        guard id.count <= 200 else { throw .badInput("entity_id is longer than 200 characters") }
        let name = value("name") ?? ""
        guard name.count <= 500 else { throw .badInput("name is longer than 500 characters") }
        let email = value("email")
        if let email, !ContactRules.isValidEmail(email) { throw .badInput("email '\(email)' is not a valid address") }
        var phone: String?
        if let raw = value("phone") {
            guard let normalized = ContactRules.normalizedPhone(raw) else {
                throw .badInput("phone '\(raw)' is not 6 to 15 digits with an optional leading +")
            }
            phone = normalized
        }
        let telegram = value("telegram_chat_id")
        if let telegram, !ContactRules.isValidTelegramChatID(telegram) {
            throw .badInput("telegram_chat_id '\(telegram)' is not a numeric chat id")
        }
        let status = value("status") ?? "new"
        guard status.count <= 100 else { throw .badInput("status is longer than 100 characters") }
        let timezone = value("timezone")
        if let timezone, !ContactRules.isValidTimeZone(timezone) {
            throw .badInput("timezone '\(timezone)' is not an IANA time zone (e.g. Europe/Rome)")
        }
        var consent: [Channel] = []
        if let list = value("consent") {
            for part in list.split(separator: ";") {
                let name = part.trimmingCharacters(in: .whitespaces).lowercased()
                if name.isEmpty { continue }
                guard let channel = Channel(rawValue: name) else {
                    throw .badInput("consent channel '\(name)' is not email, whatsapp or telegram")
                }
                if !consent.contains(channel) { consent.append(channel) }
            }
        }
        return ContactRecord(entity: EntityRef(type: type, id: id), name: name, company: value("company"), email: email,
                             phone: phone, telegramChatID: telegram, status: status, timezone: timezone, consent: consent)
    }
}
