import Foundation

/// A reporting period named in a message ("oggi", "this week", "ultimi 7 giorni").
public enum AssistantPeriod: Sendable, Hashable, Codable {
    case today
    case yesterday
    /// Since the start of the current week (Monday) in the workspace's time zone.
    case thisWeek
    /// Since the first day of the current month.
    case thisMonth
    /// The last N days up to now, N ≥ 1.
    case lastDays(Int)

    /// The period as a half-open interval ending at `now` (or at the start of today for `yesterday`),
    /// with day boundaries in `timeZone`.
    public func interval(now: Date, timeZone: TimeZone) -> DateInterval {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        calendar.firstWeekday = 2
        let startOfToday = calendar.startOfDay(for: now)
        switch self {
        case .today:
            return DateInterval(start: startOfToday, end: max(now, startOfToday))
        case .yesterday:
            let start = calendar.date(byAdding: .day, value: -1, to: startOfToday) ?? startOfToday
            return DateInterval(start: start, end: startOfToday)
        case .thisWeek:
            let start = calendar.dateInterval(of: .weekOfYear, for: now)?.start ?? startOfToday
            return DateInterval(start: start, end: max(now, start))
        case .thisMonth:
            let start = calendar.dateInterval(of: .month, for: now)?.start ?? startOfToday
            return DateInterval(start: start, end: max(now, start))
        case .lastDays(let days):
            return DateInterval(start: now.addingTimeInterval(-Double(max(days, 1)) * 86_400), end: now)
        }
    }

    /// The CLI's `--since` spelling where one exists (`7d`), else nil.
    public var sinceArgument: String? {
        switch self {
        case .lastDays(let days): "\(days)d"
        case .today: "1d"
        case .yesterday, .thisWeek, .thisMonth: nil
        }
    }
}
