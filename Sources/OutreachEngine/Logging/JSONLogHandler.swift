import Foundation
import JSON
import Logging

/// swift-log handler writing one JSON object per line to stderr: `time`, `level`, `message`,
/// `process`, `label`, and the metadata (`workspace`, `job`, `execution`, `error_code`, …).
///
/// Secrets never reach it by construction: callers log ids and codes, never tokens or bodies;
/// metadata keys that look like credentials are dropped as a second line of defence.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let label: String
    let process: String
    let sink: Sink

    /// Where lines go: stderr by default; a test can capture them.
    public final class Sink: Sendable {
        private let lock = NSLock()
        private let write: @Sendable (String) -> Void
        public init(write: @escaping @Sendable (String) -> Void) { self.write = write }
        public static let standardError = Sink { line in FileHandle.standardError.write(Data(line.utf8)) }
        func emit(_ line: String) { lock.withLock { write(line) } }
    }

    static let redactedKeys: Set<String> = ["token", "secret", "password", "authorization", "api_key", "body", "text", "html"]

    public init(label: String, process: String, level: Logger.Level = .info, sink: Sink = .standardError) {
        self.label = label
        self.process = process
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: JSONValue] = [
            "time": .string(Self.timestamp()), "level": .string(event.level.rawValue),
            "message": .string(event.message.description), "process": .string(process), "label": .string(label),
        ]
        let merged = metadata.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged where !Self.redactedKeys.contains(key.lowercased()) && object[key] == nil {
            object[key] = .string(value.description)
        }
        sink.emit(JSONValue.object(object).serialized + "\n")
    }

    /// `ISO8601FormatStyle` rather than `ISO8601DateFormatter`: the formatter is built on ICU's
    /// calendars and locales, and formatting the first line paged about 4 MB of ICU and
    /// Foundation's calendar code into every worker's resident memory.
    static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func timestamp(_ date: Date = Date()) -> String {
        date.formatted(timeStyle)
    }

    /// Installs the handler for the whole process; `OUTREACH_LOG_LEVEL` overrides the level.
    public static func bootstrap(process: String) {
        let level = ProcessInfo.processInfo.environment["OUTREACH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, process: process, level: level) }
    }
}
