import Foundation
import HTTPClient
import Testing
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `outreach sandbox` as its own process, as `bench e2e` and the demo run it, under the load
/// of many connections opened at once.
@Suite struct SandboxProcessTests {
    /// A worker holds a connection per send in flight and the sandbox one per caller; with a
    /// soft limit of 1 024 open files, two workers at 400 in flight each would leave the
    /// sandbox without descriptors. Every command raises its soft limit to the hard one.
    @Test func theOpenFileLimitIsRaisedToTheHardLimit() async throws {
        let (process, _) = try await startSandbox(shellPrefix: "ulimit -Sn 256 && ")
        defer { stop(process) }
        let (soft, hard) = try #require(try openFiles(of: process.processIdentifier))
        try #require(hard == "unlimited" || (Int(hard) ?? 0) > 256, "the hard limit (\(hard)) leaves nothing to raise")
        #expect(soft == hard)
    }

    /// Workers open hundreds of connections at once when their first batches start. With a
    /// listen backlog of 256, part of a burst of 600 found the accept queue full, and each of
    /// those waited a second for its SYN to be sent again (437 of 600 connected within 0.8 s).
    @Test func aBurstOfConnectionsIsAcceptedAtOnce() async throws {
        let (process, port) = try await startSandbox()
        defer { stop(process) }
        let count = 600
        // This process opens the burst's client ends: room for them whatever the shell gave.
        var limit = rlimit()
        _ = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        if limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
        try #require(limit.rlim_cur >= 2 * UInt(count), "this process may open only \(limit.rlim_cur) files")

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var polls: [pollfd] = []
        defer { for p in polls { close(p.fd) } }
        for _ in 0..<count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            try #require(fd >= 0)
            polls.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0))
            let result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            try #require(result == 0 || errno == EINPROGRESS)
        }
        // Well under the kernel's one-second SYN retransmission.
        let deadline = ContinuousClock.now + .milliseconds(800)
        var connected = Set<Int32>()
        while connected.count < count && ContinuousClock.now < deadline {
            var pending = polls.filter { !connected.contains($0.fd) }
            _ = poll(&pending, nfds_t(pending.count), 50)
            for p in pending where p.revents & Int16(POLLOUT) != 0 {
                var error: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length)
                if error == 0 { connected.insert(p.fd) }
            }
        }
        #expect(connected.count == count)
    }

    /// Starts `outreach sandbox` through a shell (for limits set before it starts) and waits
    /// until it answers.
    private func startSandbox(shellPrefix: String = "") async throws -> (Process, Int) {
        let port = EngineFixture.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", shellPrefix + #"exec "$0" sandbox --port "$1""#, OutreachProcess.executable.path, "\(port)"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let http = HTTPClient()
        defer { http.shutdown() }
        do {
            try await EngineFixture.waitForSandbox(port: port, using: http)
        } catch {
            stop(process)
            throw error
        }
        return (process, port)
    }

    private func stop(_ process: Process) {
        process.terminate()
        process.waitUntilExit()
    }

    /// The soft and hard `Max open files` of a running process.
    private func openFiles(of pid: Int32) throws -> (soft: String, hard: String)? {
        let text = try String(contentsOfFile: "/proc/\(pid)/limits", encoding: .utf8)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Max open files") }) else { return nil }
        let fields = line.dropFirst("Max open files".count).split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 2 else { return nil }
        return (String(fields[0]), String(fields[1]))
    }
}
