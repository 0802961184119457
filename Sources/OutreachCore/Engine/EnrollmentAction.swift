/// What an operator can do to an enrollment: `outreach enrollment pause|resume|cancel`.
public enum EnrollmentAction: String, Sendable, Hashable, Codable, CaseIterable {
    case pause, resume, cancel

    /// The status the action moves an enrollment to.
    public var target: EnrollmentStatus {
        switch self {
        case .pause: .paused
        case .resume: .active
        case .cancel: .cancelled
        }
    }

    /// The verdict for an enrollment currently in `status`.
    public enum Verdict: Sendable, Equatable {
        /// Move to ``EnrollmentAction/target``.
        case apply
        /// Already there: nothing to do.
        case already
        /// Not allowed from this status (e.g. resuming a completed enrollment), with the reason.
        case refused(String)
    }

    /// Decides by the lifecycle rules (``EnrollmentStatus/canTransition(to:)``).
    public func verdict(from status: EnrollmentStatus) -> Verdict {
        if status == target { return .already }
        if status.canTransition(to: target) { return .apply }
        return .refused("cannot \(rawValue) an enrollment that is \(status.rawValue)")
    }
}
