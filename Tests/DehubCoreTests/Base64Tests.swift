import DehubTestSupport
import Testing

@testable import DehubCore

@Suite struct Base64Tests {
    /// RFC 4648 §10 test vectors.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func allByteValuesAndAlphabet() {
        let bytes = (0...255).map { UInt8($0) }
        let text = Base64.encode(bytes)
        #expect(text.hasPrefix("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BB"))
        #expect(text.hasSuffix("+/w=="))
        #expect(Base64.decode(text) == bytes)
    }

    @Test func roundTripsRandomBytes() {
        var rng = SeededGenerator(seed: 64)
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let text = Base64.encode(bytes)
            #expect(text.utf8.count == (length + 2) / 3 * 4)
            #expect(Base64.decode(text) == bytes, "length \(length)")
        }
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zm9", "Z", "Zm9vY",  // missing padding / bad length
        "Zh==", "Zm9=", "Zg9=",  // non-zero pad bits ("Zh==" would be 'f' plus a stray bit)
        "Z===", "====", "Zg==Zg==", "Zg=a", "Z=g=", "=Zg=",  // misplaced padding
        "Zm9v\n", " Zm9v", "Zm9v ", "Zm 9v", "Zm9v\r\n", "Zm\t9",  // whitespace
        "Zm-v", "Zm_v", "Zm.v", "Zm9*",  // other alphabets and characters
        "Zm\u{e9}",  // non-ASCII (four UTF-8 bytes)
        "Zm9v\u{0}\u{0}\u{0}\u{0}",  // NUL
    ])
    func refusesNonCanonicalInput(_ text: String) {
        #expect(Base64.decode(text) == nil, "\(text.debugDescription)")
    }

    /// Every decodable text is canonical: re-encoding what it decodes to gives the same text back.
    @Test func decodingIsCanonical() {
        var rng = SeededGenerator(seed: 65)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=".utf8)
        var decoded = 0
        for _ in 0..<20_000 {
            let length = 4 * Int.random(in: 1...3, using: &rng)
            let text = String(decoding: (0..<length).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self)
            if let bytes = Base64.decode(text) {
                decoded += 1
                #expect(Base64.encode(bytes) == text)
            }
        }
        #expect(decoded > 1000)
    }
}
