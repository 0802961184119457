import Foundation

/// Why a send did not happen (recorded on the execution and counted in analytics).
public enum SafetyReason: String, Sendable, Hashable, Codable, CaseIterable {
    case killSwitch = "kill_switch"
    case notPilotWorkspace = "not_pilot_workspace"
    case enrollmentNotActive = "enrollment_not_active"
    case conditionNotMet = "condition_not_met"
    case noConsent = "no_consent"
    case suppressed
    case noAddress = "no_address"
    case channelDisabled = "channel_disabled"
    case dailyLimit = "daily_limit"
    case cooldown
    case providerNotConfigured = "provider_not_configured"
    case providerPaused = "provider_paused"
    case outsideSendWindow = "outside_send_window"
    case outsideWhatsAppWindow = "outside_whatsapp_window"
    case templateMissing = "template_missing"
    case contactMissing = "contact_missing"
}

/// What the engine knows about one due send, read from the database in bulk before deciding.
public struct SendSnapshot: Sendable, Equatable {
    public enum Consent: Sendable, Equatable { case granted, revoked, missing }

    public var killSwitch: Bool
    public var pilotAllowed: Bool
    /// nil for a one-off `outreach send`, which has no enrollment.
    public var enrollmentStatus: EnrollmentStatus?
    public var condition: StepCondition
    public var history: StepCondition.History
    public var consent: Consent
    public var suppressed: Bool
    public var hasAddress: Bool
    public var channelEnabled: Bool
    public var providerConfigured: Bool
    /// When the send window next opens, if it is closed now.
    public var sendWindowOpensAt: Date?

    public init(killSwitch: Bool = false, pilotAllowed: Bool = true, enrollmentStatus: EnrollmentStatus? = .active,
                condition: StepCondition = .always, history: StepCondition.History = .init(), consent: Consent = .granted,
                suppressed: Bool = false, hasAddress: Bool = true, channelEnabled: Bool = true, providerConfigured: Bool = true,
                sendWindowOpensAt: Date? = nil) {
        self.killSwitch = killSwitch
        self.pilotAllowed = pilotAllowed
        self.enrollmentStatus = enrollmentStatus
        self.condition = condition
        self.history = history
        self.consent = consent
        self.suppressed = suppressed
        self.hasAddress = hasAddress
        self.channelEnabled = channelEnabled
        self.providerConfigured = providerConfigured
        self.sendWindowOpensAt = sendWindowOpensAt
    }
}

/// The outcome of the gates and the checks that can be judged on a snapshot.
public enum SafetyDecision: Sendable, Equatable {
    /// A global gate is closed: leave the job queued, untouched, for later.
    case hold(SafetyReason)
    /// The enrollment is no longer active: drop the job, send nothing, record nothing.
    case drop(SafetyReason)
    /// Check 1 failed: the step is skipped and the enrollment moves on.
    case skip(SafetyReason)
    /// Checks 2–3 failed: nothing sent, recorded as blocked, the enrollment moves on.
    case block(SafetyReason)
    /// Not now: try again at the given time (send window, provider not configured).
    case deferUntil(Date, SafetyReason)
    /// Go on to the race-free reservations (daily limit, cool-down), then send.
    case proceed
}

/// The global gates and the six safety checks of SPEC §4, as pure decision logic.
///
/// Checks 4 (daily limit) and 5 (cool-down) cannot be judged on a snapshot and stay exact under
/// concurrency only as atomic reservations in the database; the engine takes them, in that
/// order, after `.proceed`. Check 6 (provider configured) depends on configuration alone, so it
/// is decided here, before any reservation is taken that would otherwise have to be returned;
/// its outcome (defer) is the same as theirs.
public enum SafetyChecks {
    public static func decide(_ s: SendSnapshot, now: Date, providerRetry: Duration = .seconds(300)) -> SafetyDecision {
        if s.killSwitch { return .hold(.killSwitch) }
        if !s.pilotAllowed { return .hold(.notPilotWorkspace) }
        if let status = s.enrollmentStatus, status != .active { return .drop(.enrollmentNotActive) }
        if !s.condition.isSatisfied(by: s.history) { return .skip(.conditionNotMet) }
        if s.suppressed { return .block(.suppressed) }
        if s.consent != .granted { return .block(.noConsent) }
        if !s.hasAddress { return .block(.noAddress) }
        if !s.channelEnabled { return .block(.channelDisabled) }
        if let opens = s.sendWindowOpensAt, opens > now { return .deferUntil(opens, .outsideSendWindow) }
        if !s.providerConfigured {
            return .deferUntil(now.addingTimeInterval((providerRetry).inSeconds), .providerNotConfigured)
        }
        return .proceed
    }

    /// Midnight after `now` in the workspace's time zone: when a daily limit frees up.
    public static func nextDay(after now: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.startOfDay(for: now)
        return calendar.date(byAdding: .day, value: 1, to: start) ?? now.addingTimeInterval(86400)
    }

    /// The calendar day of `now` in the workspace's time zone, as `YYYY-MM-DD` (the counter key).
    public static func day(of now: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    /// The cool-down between two messages to one entity on one channel, across all sequences.
    public static let cooldown: TimeInterval = 24 * 3600
}
