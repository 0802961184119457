/// When a step runs, judged on the enrollment's earlier executions (safety check 1).
public enum StepCondition: String, Sendable, Hashable, Codable, CaseIterable {
    case always
    case noReply = "no_reply"
    case noOpen = "no_open"
    case noClick = "no_click"
    case opened
    case clicked

    /// What the enrollment's earlier executions show.
    public struct History: Sendable, Equatable {
        public var replied: Bool
        public var opened: Bool
        public var clicked: Bool

        public init(replied: Bool = false, opened: Bool = false, clicked: Bool = false) {
            self.replied = replied
            self.opened = opened
            self.clicked = clicked
        }

        /// Folds the statuses the enrollment's executions reached (a click implies an open).
        public init(statuses: some Sequence<ExecutionStatus>) {
            self.init()
            for status in statuses {
                switch status {
                case .replied: replied = true; opened = true
                case .clicked: clicked = true; opened = true
                case .opened, .read: opened = true
                default: break
                }
            }
        }
    }

    public func isSatisfied(by history: History) -> Bool {
        switch self {
        case .always: true
        case .noReply: !history.replied
        case .noOpen: !history.opened
        case .noClick: !history.clicked
        case .opened: history.opened
        case .clicked: history.clicked
        }
    }
}
