import Foundation

/// The repository's operations files (systemd/, docker/), located from this source file.
enum OperationsFiles {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    static func text(_ relative: String) throws -> String { try String(contentsOf: url(relative), encoding: .utf8) }

    /// Every unit file under systemd/ (services and timers), sorted.
    static func units() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url("systemd").path)) ?? []
        return names.filter { $0.hasSuffix(".service") || $0.hasSuffix(".timer") }.sorted().map { "systemd/\($0)" }
    }

    /// `key=value` settings of a unit file, comments dropped; a key may repeat.
    static func settings(_ relative: String) throws -> [(key: String, value: String)] {
        try text(relative).split(separator: "\n").compactMap { line in
            let line = line.trimmingCharacters(in: .whitespaces)
            guard !line.hasPrefix("#"), !line.hasPrefix("["), let eq = line.firstIndex(of: "=") else { return nil }
            return (String(line[..<eq]), String(line[line.index(after: eq)...]))
        }
    }

    static func value(_ key: String, in relative: String) throws -> String? {
        try settings(relative).last { $0.key == key }?.value
    }
}

/// Runs a program and captures its combined output.
enum Run {
    struct Result {
        var status: Int32
        var output: String
    }

    static func program(_ path: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// `systemd-analyze` from the PATH or the usual places, nil when systemd is not installed.
    static func systemdAnalyze() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        let candidates = path.split(separator: ":").map { "\($0)/systemd-analyze" } + ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
