import Foundation

/// A step delay as written in sequence files: `0h`, `30m`, `48h`, `2d`, `1w`, `90s`.
public enum DelaySpec {
    public static func seconds(_ text: String) throws(OutreachError) -> Int {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = t.last, let value = Int(t.dropLast()), value >= 0 else {
            throw .badInput("delay '\(text)' is not a number with a unit (s, m, h, d, w), e.g. 48h")
        }
        let multiplier: Int
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86400
        case "w": multiplier = 604_800
        default: throw .badInput("delay '\(text)' has unknown unit '\(unit)' (use s, m, h, d or w)")
        }
        guard value <= 365 * 86400 / multiplier else { throw .badInput("delay '\(text)' is longer than a year") }
        return value * multiplier
    }
}
