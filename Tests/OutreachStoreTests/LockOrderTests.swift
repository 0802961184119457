import Foundation
@testable import OutreachStore
import OutreachCore
import Testing

/// Counter and cool-down keys are locked in one total order by every worker (no deadlocks); the
/// byte comparison of workspace ids must keep the order their text had.
@Suite struct LockOrderTests {
    @Test func workspaceIDsCompareAsTheirText() {
        var ids = (0..<500).map { _ in UUID() }
        // Ids that differ in one late byte, and equal ids, too.
        let base = UUID()
        var bytes = base.uuid
        bytes.15 &+= 1
        ids += [base, UUID(uuid: bytes), base]
        #expect(ids.sorted { $0.precedes($1) }.map(\.uuidString) == ids.map(\.uuidString).sorted())
        #expect(!base.precedes(base))
    }

    @Test func keysSortByWorkspaceThenTheRest() {
        let (a, b) = (UUID(), UUID())
        let (first, second) = a.uuidString < b.uuidString ? (a, b) : (b, a)
        let keys = [
            SendLedger.DailyKey(workspaceID: second, channel: .email, day: "2026-01-01"),
            SendLedger.DailyKey(workspaceID: first, channel: .whatsapp, day: "2026-01-01"),
            SendLedger.DailyKey(workspaceID: first, channel: .email, day: "2026-01-02"),
            SendLedger.DailyKey(workspaceID: first, channel: .email, day: "2026-01-01"),
        ]
        #expect(keys.sorted().map { "\($0.workspaceID == first ? 1 : 2) \($0.channel.rawValue) \($0.day)" } == [
            "1 email 2026-01-01", "1 email 2026-01-02", "1 whatsapp 2026-01-01", "2 email 2026-01-01",
        ])
    }
}
