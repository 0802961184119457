@testable import JSON
import Testing

@Suite("JSONParser")
struct JSONParserTests {
    @Test func parsesEveryKind() throws {
        let text = #" {"a":[1,-2.5e2,true,false,null],"s":"x\"\\\/\n\u00e8\ud83d\ude00","o":{},"e":[]} "#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value == ["a": [1, .double(-250), true, false, nil], "s": "x\"\\/\nè😀", "o": .object([:]), "e": []])
        #expect(JSONValue.parse(value.serialized) == value)
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\":1,}", "01", "1.", "tru", "\"\u{1}\"", "\"\\x\"", "{} x", "\"\\ud83d\"", "[-]"])
    func rejectsInvalidDocuments(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
    }
}

@Suite("JSON writer")
struct JSONWriterTests {
    @Test("escapes quotes, backslashes and control characters; keeps everything else as UTF-8")
    func escaping() {
        let value: JSONValue = ["text": "a\"b\\c\nd\re\tf\u{1}g è 😀 </p>", "n": 3, "d": .double(2.5), "ok": true, "none": nil]
        #expect(value.serialized == #"{"d":2.5,"n":3,"none":null,"ok":true,"text":"a\"b\\c\nd\re\tf\u0001g è 😀 </p>"}"#)
        #expect(JSONValue.parse(value.serializedBytes) == value)
    }

    @Test("object keys are sorted, so equal values give equal text")
    func sortedKeys() {
        let a: JSONValue = ["b": 1, "a": ["y": 2, "x": 1]]
        #expect(a.serialized == #"{"a":{"x":1,"y":2},"b":1}"#)
        #expect(JSONValue.double(.nan).serialized == "null")
    }
}
