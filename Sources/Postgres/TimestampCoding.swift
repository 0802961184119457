import Foundation

/// Converts between `Date` and Postgres' ISO timestamp text without `DateFormatter`, which is
/// slow, allocates, and drops microseconds. The session runs with `TimeZone=UTC` and
/// `DateStyle=ISO`, so the server prints `2024-05-06 07:08:09.123456+00`; other offsets
/// (`+05:30`) and plain `timestamp`/`date` values are still parsed correctly.
enum TimestampCoding {
    /// Seconds between 1970-01-01 and Foundation's reference date 2001-01-01.
    private static let referenceOffset: Int64 = 978_307_200

    static func format(_ date: Date) -> String {
        // Work in integer microseconds since the reference date: a Double there keeps
        // sub-microsecond precision for centuries around 2001.
        let micros = Int64((date.timeIntervalSinceReferenceDate * 1_000_000).rounded())
            + referenceOffset * 1_000_000
        let (seconds, fraction) = floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        var text = ""
        text.reserveCapacity(29)
        // Year 0 of the proleptic calendar is 1 BC in Postgres' notation.
        text += pad(year <= 0 ? 1 - year : year, 4)
        text += "-" + pad(month, 2) + "-" + pad(day, 2) + " "
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":"
        text += pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "+00"
        if year <= 0 { text += " BC" }
        return text
    }

    static func parse(_ bytes: UnsafeRawBufferPointer) -> Date? {
        var cursor = Cursor(bytes: bytes)
        if bytes.elementsEqual("infinity".utf8) { return .distantFuture }
        if bytes.elementsEqual("-infinity".utf8) { return .distantPast }

        guard var year = cursor.number(minDigits: 4), cursor.take("-"),
            let month = cursor.number(digits: 2), cursor.take("-"),
            let day = cursor.number(digits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }

        var secondOfDay: Int64 = 0
        var micros: Int64 = 0
        var offsetSeconds: Int64 = 0
        if cursor.take(" ") || cursor.take("T") {
            guard let hour = cursor.number(digits: 2), cursor.take(":"),
                let minute = cursor.number(digits: 2), cursor.take(":"),
                let second = cursor.number(digits: 2)
            else { return nil }
            secondOfDay = hour * 3600 + minute * 60 + second
            if cursor.take(".") {
                var scale: Int64 = 100_000
                var digits = 0
                while let digit = cursor.digit() {
                    // Postgres has microsecond precision; ignore anything finer.
                    if digits < 6 { micros += digit * scale; scale /= 10 }
                    digits += 1
                }
                guard digits > 0 else { return nil }
            }
            if let sign = cursor.sign() {
                guard let hours = cursor.number(digits: 2) else { return nil }
                var offset = hours * 3600
                if cursor.take(":") {
                    guard let minutes = cursor.number(digits: 2) else { return nil }
                    offset += minutes * 60
                    if cursor.take(":") {
                        guard let seconds = cursor.number(digits: 2) else { return nil }
                        offset += seconds
                    }
                }
                offsetSeconds = sign * offset
            } else {
                _ = cursor.take("Z")
            }
        }
        if cursor.take(" BC") { year = 1 - year }
        guard cursor.atEnd else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        let unixSeconds = days * 86_400 + secondOfDay - offsetSeconds
        let sinceReference = Double(unixSeconds - referenceOffset) + Double(micros) / 1_000_000
        return Date(timeIntervalSinceReferenceDate: sinceReference)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, H. Hinnant's algorithms)

    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    /// A forward-only reader over the timestamp bytes.
    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        var atEnd: Bool { index == bytes.count }

        mutating func digit() -> Int64? {
            guard index < bytes.count else { return nil }
            let value = bytes[index] &- UInt8(ascii: "0")
            guard value < 10 else { return nil }
            index += 1
            return Int64(value)
        }

        mutating func number(digits: Int) -> Int64? {
            var value: Int64 = 0
            for _ in 0..<digits {
                guard let digit = digit() else { return nil }
                value = value * 10 + digit
            }
            return value
        }

        /// At least `minDigits` digits (years may have five or more).
        mutating func number(minDigits: Int) -> Int64? {
            let start = index
            var value: Int64 = 0
            while let digit = digit(), index - start <= 9 { value = value * 10 + digit }
            return index - start >= minDigits ? value : nil
        }

        mutating func take(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - index >= count else { return false }
            let matches = literal.withUTF8Buffer { expected in
                (0..<count).allSatisfy { bytes[index + $0] == expected[$0] }
            }
            if matches { index += count }
            return matches
        }

        mutating func sign() -> Int64? {
            if take("+") { return 1 }
            if take("-") { return -1 }
            return nil
        }
    }
}
