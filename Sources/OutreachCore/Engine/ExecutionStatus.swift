/// An execution's status. Delivery statuses only move forward
/// (`sending → sent → delivered → opened/read → clicked → replied`); `bounced`, `complained`
/// and `failed` are terminal; the others record a send that did not happen (or may have).
public enum ExecutionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case sending, sent, delivered, opened, read, clicked, replied
    case bounced, complained, failed
    case unknown, skipped, blocked, deferred

    /// Position on the delivery ladder; nil for statuses off the ladder.
    var rank: Int? {
        switch self {
        case .sending: 0
        case .sent: 1
        case .delivered: 2
        case .opened, .read: 3
        case .clicked: 4
        case .replied: 5
        default: nil
        }
    }

    public var isTerminal: Bool {
        switch self {
        case .bounced, .complained, .failed, .skipped, .blocked: true
        default: false
        }
    }

    /// Whether the provider accepted the message (it counts as sent in analytics).
    public var wasSent: Bool { rank.map { $0 >= 1 } ?? (self == .bounced || self == .complained) }

    /// The status after `event` arrives, or nil when the event must not change anything
    /// (late, duplicate or out of order). A terminal delivery failure wins over any forward
    /// status except a reply, which is the strongest signal there is.
    public func advanced(by event: ExecutionStatus) -> ExecutionStatus? {
        if self == event { return nil }
        switch self {
        case .bounced, .complained, .failed, .skipped, .blocked:
            return nil
        case .replied:
            return nil
        default:
            break
        }
        switch event {
        case .bounced, .complained, .failed:
            return self.rank != nil || self == .unknown ? event : nil
        case .replied:
            return event
        default:
            guard let to = event.rank else { return nil }
            guard let from = self.rank else { return self == .unknown || self == .deferred ? event : nil }
            return to > from ? event : nil
        }
    }
}
