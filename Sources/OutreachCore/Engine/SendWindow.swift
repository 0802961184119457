import Foundation

/// Days and hours during which a step may be sent, in the contact's time zone (else the
/// workspace's). Written as in sequence files: `{"days": "mon-fri", "hours": "09:00-18:00"}`.
public struct SendWindow: Sendable, Hashable, Codable {
    /// ISO weekdays, 1 = Monday … 7 = Sunday.
    public var days: Set<Int>
    /// Minutes after midnight: [start, end). `end <= start` means the window crosses midnight.
    public var startMinute: Int
    public var endMinute: Int

    static let dayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]

    public init(days: Set<Int>, startMinute: Int, endMinute: Int) {
        self.days = days
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `days` ("mon-fri", "mon,wed,fri", "sat-sun", "all") and `hours` ("09:00-18:00").
    public init(days: String?, hours: String?) throws(OutreachError) {
        var set = Set<Int>()
        let dayText = (days ?? "all").lowercased().replacingOccurrences(of: " ", with: "")
        if dayText == "all" || dayText == "*" || dayText.isEmpty {
            set = Set(1...7)
        } else {
            for part in dayText.split(separator: ",") {
                let bounds = part.split(separator: "-").map(String.init)
                guard let first = bounds.first.flatMap({ Self.dayNames[$0] }),
                      let last = (bounds.count == 2 ? Self.dayNames[bounds[1]] : first), bounds.count <= 2 else {
                    throw .badInput("send window days '\(days ?? "")' are not like mon-fri or mon,wed,fri")
                }
                var d = first
                while true {
                    set.insert(d)
                    if d == last { break }
                    d = d % 7 + 1
                }
            }
        }
        let hourText = (hours ?? "00:00-24:00").replacingOccurrences(of: " ", with: "")
        let ends = hourText.split(separator: "-").map(String.init)
        guard ends.count == 2, let start = Self.minutes(ends[0]), let end = Self.minutes(ends[1]) else {
            throw .badInput("send window hours '\(hours ?? "")' are not like 09:00-18:00")
        }
        self.init(days: set, startMinute: start, endMinute: end)
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m),
              h * 60 + m <= 24 * 60 else { return nil }
        return h * 60 + m
    }

    /// `date` itself when it falls inside the window, else the next moment the window opens.
    public func nextOpening(atOrAfter date: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if contains(date, calendar: calendar) { return date }
        // Walk day by day (at most 8) to the next opening at startMinute.
        let startOfDay = calendar.startOfDay(for: date)
        for offset in 0...8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: startOfDay),
                  let opening = calendar.date(byAdding: .minute, value: startMinute, to: day) else { continue }
            if opening >= date, contains(opening, calendar: calendar) { return opening }
        }
        return date
    }

    func contains(_ date: Date, calendar: Calendar) -> Bool {
        let c = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        // Calendar weekday: 1 = Sunday … 7 = Saturday → ISO 1 = Monday … 7 = Sunday.
        let iso = ((c.weekday ?? 1) + 5) % 7 + 1
        let minute = (c.hour ?? 0) * 60 + (c.minute ?? 0)
        if startMinute < endMinute {
            return days.contains(iso) && minute >= startMinute && minute < endMinute
        }
        // Crosses midnight: the late part belongs to today, the early part to yesterday's window.
        let yesterday = (iso + 5) % 7 + 1
        return (days.contains(iso) && minute >= startMinute) || (days.contains(yesterday) && minute < endMinute)
    }
}
