import OutreachCrypto
import Testing

@Suite struct Base64Tests {
    /// RFC 4648 §10.
    static let rfc4648: [(plain: String, encoded: String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test func rfc4648Vectors() {
        for (plain, encoded) in Self.rfc4648 {
            #expect(Base64.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.decode(encoded) == Array(plain.utf8))
            let unpadded = String(encoded.prefix { $0 != "=" })
            #expect(Base64.encode(Array(plain.utf8), padding: false) == unpadded)
            #expect(Base64.decode(unpadded) == Array(plain.utf8), "missing padding is accepted")
        }
    }

    @Test func urlSafeAlphabet() {
        let bytes: [UInt8] = [0xFB, 0xFF, 0xBF, 0xFE]
        #expect(Base64.encode(bytes) == "+/+//g==")
        #expect(Base64.encode(bytes, urlSafe: true) == "-_-__g==")
        #expect(Base64.encode(bytes, urlSafe: true, padding: false) == "-_-__g")
        #expect(Base64.decode("-_-__g", urlSafe: true) == bytes)
        #expect(Base64.decode("-_-__g==", urlSafe: true) == bytes)
        #expect(Base64.decode("+/+//g==") == bytes)
        // Each alphabet rejects the other's characters.
        #expect(Base64.decode("-_-__g==") == nil)
        #expect(Base64.decode("+/+//g==", urlSafe: true) == nil)
    }

    @Test func roundTripsEveryLengthAndByte() {
        let all = (0...255).map { UInt8($0) }
        for length in 0...all.count {
            let bytes = Array(all.prefix(length))
            for urlSafe in [false, true] {
                for padding in [false, true] {
                    let text = Base64.encode(bytes, urlSafe: urlSafe, padding: padding)
                    #expect(Base64.decode(text, urlSafe: urlSafe) == bytes)
                }
            }
        }
    }

    @Test(arguments: [
        "Zg=", "Zg===", "Z", "Zm9vY", "Zm9v====", "=Zm9", "Zm=9", "Zm9v Zg==", "Zm9v\n", "Zm9v*",
        "Zm9vYmE==", "é",
    ])
    func invalidInputIsRejected(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }
}

@Suite struct HexTests {
    @Test func roundTrip() {
        let all = (0...255).map { UInt8($0) }
        let text = Hex.encode(all)
        #expect(text.count == 512)
        #expect(text.hasPrefix("000102"))
        #expect(text.hasSuffix("fdfeff"))
        #expect(Hex.decode(text) == all)
        #expect(Hex.encode(Array("foobar".utf8)) == "666f6f626172")
        #expect(Hex.decode("666F6F626172") == Array("foobar".utf8), "uppercase is accepted")
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["0", "abc", "zz", "0g", " 00", "0x00"])
    func invalidInputIsRejected(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }
}

@Suite struct SecureRandomTests {
    @Test func bytesHaveRequestedLengthAndDiffer() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(1).count == 1)
        let first = SecureRandom.bytes(32)
        let second = SecureRandom.bytes(32)
        #expect(first.count == 32)
        #expect(second.count == 32)
        #expect(first != second)
    }

    @Test func tokenIsUnpaddedBase64URL() {
        let token = SecureRandom.token()
        #expect(token.count == 43)
        #expect(token.utf8.allSatisfy { byte in
            (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        })
        #expect(Base64.decode(token, urlSafe: true)?.count == 32)
        #expect(SecureRandom.token(byteCount: 16).count == 22)
        #expect(SecureRandom.token() != SecureRandom.token())
    }
}
