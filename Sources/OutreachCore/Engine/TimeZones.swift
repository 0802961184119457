import Foundation
import Synchronization

/// Time zones by IANA name, looked up once per process.
///
/// `TimeZone(identifier:)` goes through ICU on Linux; the worker needs a zone for every job it
/// decides (send windows, the daily-limit day), always among the same few names.
public enum TimeZones {
    private static let cache = Mutex<[String: TimeZone?]>([:])

    /// The zone named `identifier`, or nil when there is no such zone.
    public static func named(_ identifier: String) -> TimeZone? {
        if let known = cache.withLock({ $0[identifier] }) { return known }
        let zone = TimeZone(identifier: identifier)
        cache.withLock { cache in
            // Names come from validated rows; the bound only guards against a pathological feed.
            if cache.count > 4096 { cache.removeAll() }
            cache[identifier] = zone
        }
        return zone
    }
}
