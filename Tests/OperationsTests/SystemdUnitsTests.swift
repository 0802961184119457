import Foundation
import Testing

@Suite("Operations: systemd units pass systemd-analyze verify")
struct SystemdUnitsTests {
    /// What the acceptance check tolerates: the binary is not installed on the test machine.
    static let tolerated = ["Failed to resolve unit", "is not executable", "not found"]

    @Test func theUnitsOfSpec8Exist() {
        let units = Set(OperationsFiles.units())
        for unit in ["systemd/outreach-worker@.service", "systemd/outreach-scheduler.service",
                     "systemd/outreach-scheduler.timer", "systemd/outreach-serve.service"] {
            #expect(units.contains(unit), "missing \(unit)")
        }
    }

    @Test(arguments: OperationsFiles.units())
    func verifiesAsWritten(unit: String) throws {
        let analyze = try #require(Run.systemdAnalyze(), "systemd-analyze not found: install the Debian package `systemd`")
        let result = try Run.program(analyze, ["verify", OperationsFiles.url(unit).path])
        let bad = result.output.split(separator: "\n").filter { line in
            !Self.tolerated.contains { line.contains($0) }
        }
        #expect(bad.isEmpty, "systemd-analyze verify \(unit):\n\(result.output)")
    }

    /// With the binary replaced by one that exists, verification must be completely clean.
    @Test(arguments: OperationsFiles.units())
    func verifiesCleanWithAnExistingBinary(unit: String) throws {
        let analyze = try #require(Run.systemdAnalyze(), "systemd-analyze not found: install the Debian package `systemd`")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("outreach-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent(URL(fileURLWithPath: unit).lastPathComponent)
        let text = try OperationsFiles.text(unit).replacingOccurrences(of: "/usr/local/bin/outreach", with: "/bin/true")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        if unit.hasSuffix(".timer") {   // a timer is verified with the service it starts
            let service = unit.replacingOccurrences(of: ".timer", with: ".service")
            let serviceText = try OperationsFiles.text(service).replacingOccurrences(of: "/usr/local/bin/outreach", with: "/bin/true")
            try serviceText.write(to: directory.appendingPathComponent(URL(fileURLWithPath: service).lastPathComponent),
                                  atomically: true, encoding: .utf8)
        }
        let result = try Run.program(analyze, ["verify", copy.path])
        #expect(result.status == 0 && result.output.isEmpty, "systemd-analyze verify \(unit):\n\(result.output)")
    }
}
