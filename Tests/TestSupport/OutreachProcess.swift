import Foundation

/// Runs the built `outreach` executable as a child process, the way operators and systemd do.
public enum OutreachProcess {
    /// The binary next to the test bundle (`swift build` puts both in the same folder), or
    /// `OUTREACH_BIN` when set.
    public static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["OUTREACH_BIN"] { return URL(fileURLWithPath: path) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("outreach")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        // Fall back to the conventional debug location relative to the package root.
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".build/debug/outreach")
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `outreach ARGS…` to completion with extra environment variables.
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) async throws -> Result {
        let process = try start(arguments, environment: environment)
        if let stdin, let pipe = process.standardInput as? Pipe {
            pipe.fileHandleForWriting.write(Data(stdin.utf8))
        }
        (process.standardInput as? Pipe)?.fileHandleForWriting.closeFile()
        return try await wait(process)
    }

    /// Starts `outreach ARGS…` and returns the running process. With `capture`, stdout and
    /// stderr are pipes the caller must drain (`wait`); without, they are discarded so a
    /// long-running child can never block on a full pipe.
    public static func start(_ arguments: [String], environment: [String: String] = [:], capture: Bool = true) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = capture ? Pipe() : FileHandle.nullDevice
        process.standardError = capture ? Pipe() : FileHandle.nullDevice
        process.standardInput = capture ? Pipe() : FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for a started process without blocking the cooperative pool, draining its pipes.
    public static func wait(_ process: Process) async throws -> Result {
        let out = (process.standardOutput as? Pipe)?.fileHandleForReading
        let err = (process.standardError as? Pipe)?.fileHandleForReading
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                // Read both pipes to EOF concurrently so a chatty child never blocks on a full pipe.
                let group = DispatchGroup()
                nonisolated(unsafe) var stdout = Data()
                nonisolated(unsafe) var stderr = Data()
                group.enter()
                DispatchQueue.global().async { stdout = out?.readDataToEndOfFile() ?? Data(); group.leave() }
                group.enter()
                DispatchQueue.global().async { stderr = err?.readDataToEndOfFile() ?? Data(); group.leave() }
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: Result(status: process.terminationStatus,
                                                      stdout: String(decoding: stdout, as: UTF8.self),
                                                      stderr: String(decoding: stderr, as: UTF8.self)))
            }
        }
    }
}
