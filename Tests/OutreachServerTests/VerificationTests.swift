import Foundation
import OutreachCrypto
import OutreachServer
import Testing

/// Signature checks as pure functions; every expected signature is computed here independently
/// (HMAC over the documented signed content), not with the verifier's own `sign`.
@Suite struct SvixVerificationTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    static let now = Date(timeIntervalSince1970: 1_700_000_000)
    let verifier = SvixVerifier(secret: Self.secret)!
    let body = Array(#"{"type":"email.delivered","data":{"email_id":"e1"}}"#.utf8)

    /// `v1,<base64 HMAC-SHA256(key, "id.timestamp.body")>`, written out from the Svix docs.
    static func independentSignature(secret: String, id: String, timestamp: Int64, body: [UInt8]) -> String {
        let key = Base64.decode(String(secret.dropFirst("whsec_".count)))!
        let message = Array("\(id).\(timestamp).".utf8) + body
        return "v1," + Base64.encode(HMAC.sha256(key: key, message: message))
    }

    func verify(id: String? = "msg_1", timestamp: Int64? = nil, signatures: String?, body: [UInt8]? = nil) throws(WebhookVerificationError) {
        try verifier.verify(
            id: id, timestamp: (timestamp ?? Int64(Self.now.timeIntervalSince1970)).description,
            signatures: signatures, body: body ?? self.body, now: Self.now)
    }

    var timestamp: Int64 { Int64(Self.now.timeIntervalSince1970) }

    @Test func independentlyComputedSignaturePasses() throws {
        let signature = Self.independentSignature(secret: Self.secret, id: "msg_1", timestamp: timestamp, body: body)
        try verify(signatures: signature)
    }

    @Test func publishedTestVectorPassesWithInjectedClock() throws {
        let payload = Array(#"{"test": 2432232314}"#.utf8)
        let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        #expect(Self.independentSignature(secret: Self.secret, id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: payload) == expected)
        #expect(verifier.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: payload) == expected)
        try verifier.verify(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", signatures: expected, body: payload,
            now: Date(timeIntervalSince1970: 1614265330 + 60))
        // The same vector a day later is a replay.
        #expect(throws: WebhookVerificationError(.timestampOutOfTolerance)) {
            try verifier.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", signatures: expected, body: payload,
                now: Date(timeIntervalSince1970: 1614265330 + 86_400))
        }
    }

    @Test func changedBodyFails() {
        let signature = Self.independentSignature(secret: Self.secret, id: "msg_1", timestamp: timestamp, body: body)
        #expect(throws: WebhookVerificationError(.signatureMismatch)) {
            try verify(signatures: signature, body: body + Array(" ".utf8))
        }
    }

    @Test func changedIDFails() {
        let signature = Self.independentSignature(secret: Self.secret, id: "msg_1", timestamp: timestamp, body: body)
        #expect(throws: WebhookVerificationError(.signatureMismatch)) { try verify(id: "msg_2", signatures: signature) }
    }

    @Test(arguments: [-361, 361, -6 * 60, 6 * 60])
    func timestampOutsideFiveMinutesFails(offset: Int64) {
        let stamp = timestamp + offset
        let signature = Self.independentSignature(secret: Self.secret, id: "msg_1", timestamp: stamp, body: body)
        #expect(throws: WebhookVerificationError(.timestampOutOfTolerance)) { try verify(timestamp: stamp, signatures: signature) }
    }

    @Test(arguments: [-300, 299, 300])
    func timestampWithinFiveMinutesPasses(offset: Int64) throws {
        let stamp = timestamp + offset
        try verify(timestamp: stamp, signatures: Self.independentSignature(secret: Self.secret, id: "msg_1", timestamp: stamp, body: body))
    }

    @Test func missingHeadersFail() {
        let signature = Self.independentSignature(secret: Self.secret, id: "msg_1", timestamp: timestamp, body: body)
        #expect(throws: WebhookVerificationError(.missingHeader)) { try verify(signatures: nil) }
        #expect(throws: WebhookVerificationError(.missingHeader)) { try verify(id: nil, signatures: signature) }
        #expect(throws: WebhookVerificationError(.missingHeader)) {
            try verifier.verify(id: "msg_1", timestamp: nil, signatures: signature, body: body, now: Self.now)
        }
        #expect(throws: WebhookVerificationError(.malformedHeader)) {
            try verifier.verify(id: "msg_1", timestamp: "12e3", signatures: signature, body: body, now: Self.now)
        }
    }

    @Test func signatureFromAnotherSecretFails() {
        let other = "whsec_" + Base64.encode(Array("another secret, 24 bytes".utf8))
        let signature = Self.independentSignature(secret: other, id: "msg_1", timestamp: timestamp, body: body)
        #expect(throws: WebhookVerificationError(.signatureMismatch)) { try verify(signatures: signature) }
    }

    @Test func secondOfTwoSignaturesMatching() throws {
        let other = "whsec_" + Base64.encode(Array("the rotated-out old key!".utf8))
        let wrong = Self.independentSignature(secret: other, id: "msg_1", timestamp: timestamp, body: body)
        let right = Self.independentSignature(secret: Self.secret, id: "msg_1", timestamp: timestamp, body: body)
        try verify(signatures: "\(wrong) \(right)")
        try verify(signatures: "v1a,ignored-other-scheme \(right)")
        #expect(throws: WebhookVerificationError(.signatureMismatch)) { try verify(signatures: "\(wrong) v2,\(right.dropFirst(3))") }
    }

    @Test func invalidSecretsAreRefused() {
        #expect(SvixVerifier(secret: "whsec_") == nil)
        #expect(SvixVerifier(secret: "whsec_not base64!") == nil)
        #expect(SvixVerifier(secret: Self.secret) != nil)
    }
}

@Suite struct HubAndTokenVerificationTests {
    @Test func hubSignature() throws {
        let verifier = HubSignatureVerifier(appSecret: "app-secret")!
        let body = Array(#"{"object":"whatsapp_business_account","entry":[]}"#.utf8)
        let header = "sha256=" + Hex.encode(HMAC.sha256(key: Array("app-secret".utf8), message: body))
        try verifier.verify(header: header, body: body)
        try verifier.verify(header: header.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), body: body)
        #expect(throws: WebhookVerificationError(.signatureMismatch)) { try verifier.verify(header: header, body: body + [0x20]) }
        #expect(throws: WebhookVerificationError(.missingHeader)) { try verifier.verify(header: nil, body: body) }
        #expect(throws: WebhookVerificationError(.malformedHeader)) { try verifier.verify(header: "sha1=abcd", body: body) }
        #expect(throws: WebhookVerificationError(.malformedHeader)) { try verifier.verify(header: "sha256=xyz", body: body) }
        let other = "sha256=" + Hex.encode(HMAC.sha256(key: Array("other".utf8), message: body))
        #expect(throws: WebhookVerificationError(.signatureMismatch)) { try verifier.verify(header: other, body: body) }
        #expect(HubSignatureVerifier(appSecret: "") == nil)
    }

    @Test func secretToken() throws {
        let verifier = SecretTokenVerifier(secret: "tg-secret_1")!
        try verifier.verify("tg-secret_1")
        #expect(!verifier.matches("tg-secret_2"))
        #expect(!verifier.matches("tg-secret_1 "))
        #expect(!verifier.matches(""))
        #expect(throws: WebhookVerificationError(.missingHeader)) { try verifier.verify(nil) }
        #expect(SecretTokenVerifier(secret: "") == nil)
    }
}
