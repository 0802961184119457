/// A failure the user can act on, with a stable code and a one-line reason.
///
/// Lower layers have their own error types (PostgresError, HTTPClientError, …); this one is what
/// the domain and the use cases raise when the request itself is wrong or cannot be done.
public struct OutreachError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }
        /// The input is malformed or violates a rule (exit status 2).
        public static let badInput = Code(raw: "bad_input")
        /// Something named by the input does not exist (exit status 2).
        public static let notFound = Code(raw: "not_found")
        /// The request conflicts with the current state (e.g. a name already taken).
        public static let conflict = Code(raw: "conflict")
        /// The caller may not do this (role or workspace scope).
        public static let forbidden = Code(raw: "forbidden")
        /// A precondition of the environment is missing (configuration, provider credentials).
        public static let configuration = Code(raw: "configuration")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    /// True when the fault is in what the user asked for, not in the system.
    public var isUsageError: Bool { code == .badInput || code == .notFound }

    public static func badInput(_ message: String) -> OutreachError { .init(.badInput, message) }
    public static func notFound(_ message: String) -> OutreachError { .init(.notFound, message) }
}
