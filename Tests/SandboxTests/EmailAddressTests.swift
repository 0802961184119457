@testable import Sandbox
import Testing

@Suite struct EmailAddressTests {
    @Test(arguments: [
        "ana@example.com", "Ana <ana@example.com>", "\"Ana B.\" <ana.b@mail.example.it>", "  ana+tag@example.co  ",
        "a-b@xn--bcher-kva.example", "ana@例え.jp", "ana@bücher.de", "ana@mail2.example.org",
    ])
    func accepted(_ address: String) {
        #expect(EmailAddress.isValid(address))
    }

    @Test(arguments: [
        "", "ana", "ana@", "@example.com", "ana@example", "ana..b@example.com", ".ana@example.com", "ana.@example.com",
        "ana b@example.com", "ana@exa_mple.com", "ana@-example.com", "ana@example.c0m", "Ana <ana@example.com",
        "ana@@example.com", "a<b@example.com", "ana@bü_cher.de", "ana@example.cöm1", "ana@exam ple.com",
    ])
    func refused(_ address: String) {
        #expect(!EmailAddress.isValid(address))
    }
}
