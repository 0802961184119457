/// An enrollment's lifecycle (SPEC §4): `active → paused ⇄ active`, `active → completed`,
/// `→ cancelled`, `→ replied`, `→ failed`.
public enum EnrollmentStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case active, paused, completed, cancelled, replied, failed

    /// Completed, cancelled, replied and failed enrollments never change again.
    public var isFinal: Bool {
        switch self {
        case .active, .paused: false
        case .completed, .cancelled, .replied, .failed: true
        }
    }

    /// Whether a transition is allowed; a no-op "transition" to the same state is not.
    public func canTransition(to next: EnrollmentStatus) -> Bool {
        switch (self, next) {
        case (.active, .paused), (.paused, .active): true
        case (.active, .completed), (.active, .failed): true
        case (.active, .cancelled), (.paused, .cancelled): true
        case (.active, .replied), (.paused, .replied): true
        default: false
        }
    }
}
