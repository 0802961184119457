import OutreachCrypto
import Testing

@Suite struct ConstantTimeTests {
    @Test func equalArrays() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        let tag = SecureRandom.bytes(32)
        #expect(ConstantTime.equals(tag, Array(tag)))
    }

    @Test func unequalSameLength() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
    }

    @Test func differentLengths() {
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([1, 2], [1, 2, 3]))
        #expect(!ConstantTime.equals([], [0]))
    }

    @Test func emptyArraysAreEqual() {
        #expect(ConstantTime.equals([], []))
    }
}
