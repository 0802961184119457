/// One of the ten sub-intents of the chat control (SPEC §9).
///
/// The raw values are part of the interface contract (`outreach ask --json`, `POST /v1/assistant`).
public enum Intent: String, Sendable, Hashable, Codable, CaseIterable {
    case enrollEntity = "enroll_entity"
    case cancelEnrollment = "cancel_enrollment"
    case pauseEnrollment = "pause_enrollment"
    case resumeEnrollment = "resume_enrollment"
    case sendMessage = "send_message"
    case checkStatus = "check_status"
    case manageChannels = "manage_channels"
    case listTemplates = "list_templates"
    case listSequences = "list_sequences"
    case outreachMetrics = "outreach_metrics"

    /// True when carrying the intent out changes state (enrollments, sends, channel settings).
    public var isWrite: Bool {
        switch self {
        case .enrollEntity, .cancelEnrollment, .pauseEnrollment, .resumeEnrollment, .sendMessage, .manageChannels: true
        case .checkStatus, .listTemplates, .listSequences, .outreachMetrics: false
        }
    }

    /// True when the intent acts on contacts (named ones, or a filter for enrolments).
    public var needsTarget: Bool {
        switch self {
        case .enrollEntity, .cancelEnrollment, .pauseEnrollment, .resumeEnrollment, .sendMessage, .checkStatus: true
        case .manageChannels, .listTemplates, .listSequences, .outreachMetrics: false
        }
    }
}
