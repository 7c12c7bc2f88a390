import DehubTestSupport
import Testing

@testable import DehubCore

/// Format §5. The expected values were computed by an independent Python implementation of the format
/// (uvarint, SHA-256, little-endian modes, zero ids, path byte order), not by this code.
@Suite struct FingerprintTests {
    static let emptyBlob = ObjectID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")!
    static let otherBlob = ObjectID(hex: "d00491fd7e5bb6fa28c517a0bb32b8b506539d4d")!

    static let unsortedFiles: [FileChange] = [
        FileChange(path: "z/b", fromMode: 0o100644, fromID: emptyBlob, toMode: 0o100755, toID: otherBlob),
        FileChange(path: "a.txt", fromMode: 0o100644, fromID: emptyBlob, toMode: 0, toID: .zero),
        FileChange(path: [0x61, 0x20, 0x62, 0x2F, 0xC3, 0xA9], fromMode: 0, fromID: .zero, toMode: 0o120000, toID: otherBlob),
        FileChange(path: "sub", fromMode: 0, fromID: .zero, toMode: 0o160000, toID: otherBlob),
    ]

    struct ChangeVector: CustomTestStringConvertible, Sendable {
        var name: String
        var description: String
        var files: [FileChange]
        var expected: String
        var testDescription: String { name }
    }

    static let changeVectors: [ChangeVector] = [
        ChangeVector(name: "empty", description: "", files: [], expected: "AJailtIk8oXGe+6Tww+KMJFX8NqjXcW4fkELeGMKCc/H"),
        ChangeVector(
            name: "one added file", description: "Add a file",
            files: [FileChange(path: "a.txt", fromMode: 0, fromID: .zero, toMode: 0o100644, toID: emptyBlob)],
            expected: "ABjbn9e3ZGyiT8dlUMmchlUbyjAXCX5VeBEAXsD3za66"),
        ChangeVector(
            name: "200-byte description, four files given unsorted", description: String(repeating: "x", count: 200),
            files: unsortedFiles, expected: "AOez8yLT2qv6gQk2k6UZQYTCXzXKRiBbwhLn6a6H1oGo"),
    ]

    @Test(arguments: changeVectors)
    func changeFingerprintMatchesIndependentImplementation(_ v: ChangeVector) {
        let fp = Fingerprint.change(description: v.description, files: v.files)
        #expect(fp.base64 == v.expected)
        #expect(fp.bytes.count == 33)
        #expect(fp.bytes[0] == 0)
        #expect(fp.description == v.expected)
    }

    @Test(arguments: [
        ("", "AG40C5z/s3qYnKVE5rt4Cix4kB0/szc4doURowYXr6Ad"),
        ("LGTM", "AMJVFnpluq4Ji5s+wTUOna6PshXe9JVCi2FE6q2vJHra"),
        (String(repeating: "é", count: 100), "AGBL4z5ibec3dSCg2Kcj/6b8XGOKcYWTgJWR6AEqZDwc"),
    ])
    func commentFingerprintMatchesIndependentImplementation(_ text: String, _ expected: String) {
        #expect(Fingerprint.comment(text).base64 == expected)
    }

    @Test func fileOrderDoesNotMatter() {
        var rng = SeededGenerator(seed: 7)
        let expected = Fingerprint.change(description: "d", files: Self.unsortedFiles)
        for _ in 0..<24 {
            #expect(Fingerprint.change(description: "d", files: Self.unsortedFiles.shuffled(using: &rng)) == expected)
        }
    }

    /// Every input byte is bound: changing any one field changes the fingerprint.
    @Test func everyFieldIsBound() {
        let base = FileChange(path: "a", fromMode: 0o100644, fromID: Self.emptyBlob, toMode: 0o100644, toID: Self.otherBlob)
        var variants: [FileChange] = []
        var f = base; f.path = Array("b".utf8); variants.append(f)
        f = base; f.fromMode = 0o100755; variants.append(f)
        f = base; f.toMode = 0o100755; variants.append(f)
        f = base; f.fromID = Self.otherBlob; variants.append(f)
        f = base; f.toID = Self.emptyBlob; variants.append(f)
        let all =
            [Fingerprint.change(description: "d", files: [base])]
            + variants.map { Fingerprint.change(description: "d", files: [$0]) }
            + [
                Fingerprint.change(description: "e", files: [base]), Fingerprint.change(description: "d", files: []),
                Fingerprint.change(description: "d", files: [base, variants[0]]),
            ]
        #expect(Set(all).count == all.count)
    }

    /// Length prefixes keep field boundaries apart: moving bytes between the description and a path changes it.
    @Test func lengthPrefixesSeparateFields() {
        let a = Fingerprint.change(
            description: "ab", files: [FileChange(path: "c", fromMode: 0, fromID: .zero, toMode: 0, toID: .zero)])
        let b = Fingerprint.change(
            description: "a", files: [FileChange(path: "bc", fromMode: 0, fromID: .zero, toMode: 0, toID: .zero)])
        #expect(a != b)
        #expect(Fingerprint.comment("LGTM") != Fingerprint.change(description: "LGTM", files: []))
    }

    static let uvarints: [(UInt64, [UInt8])] = [
        (0, [0x00]),
        (127, [0x7f]),
        (128, [0x80, 0x01]),
        (300, [0xac, 0x02]),
        (16_384, [0x80, 0x80, 0x01]),
        (1 << 32, [0x80, 0x80, 0x80, 0x80, 0x10]),
        (UInt64.max, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]),
    ]

    @Test(arguments: uvarints)
    func uvarintEncodesLikeGo(_ value: UInt64, _ expected: [UInt8]) {
        #expect(UVarint.encode(value) == expected)
    }

    @Test func fingerprintFromBase64RoundTrips() throws {
        for v in Self.changeVectors {
            let fp = try Fingerprint(base64: v.expected)
            #expect(fp.base64 == v.expected)
            #expect(Fingerprint(bytes: fp.bytes) == fp)
        }
    }

    @Test(arguments: [
        ("", FingerprintError.wrongLength(0), "decodes to 0 bytes, expected 33"),
        ("AAAA", .wrongLength(3), "decodes to 3 bytes, expected 33"),
        // 34 bytes
        (Base64.encode([UInt8](repeating: 0, count: 34)), .wrongLength(34), "decodes to 34 bytes, expected 33"),
        (Base64.encode([1] + [UInt8](repeating: 7, count: 32)), .unknownVersion(1), "has version 1, only version 0 is known"),
        ("not base64!", .notBase64, "is not valid standard base64"),
        // unpadded, URL-safe alphabet, whitespace
        ("AJailtIk8oXGe+6Tww+KMJFX8NqjXcW4fkELeGMKCc/", .notBase64, "is not valid standard base64"),
        ("AJailtIk8oXGe-6Tww-KMJFX8NqjXcW4fkELeGMKCc_H", .notBase64, "is not valid standard base64"),
        (" AJailtIk8oXGe+6Tww+KMJFX8NqjXcW4fkELeGMKCc/H", .notBase64, "is not valid standard base64"),
        ("AJailtIk8oXGe+6Tww+KMJFX8NqjXcW4fkELeGMKCc/H\n", .notBase64, "is not valid standard base64"),
    ])
    func fingerprintFromBase64Errors(_ text: String, _ error: FingerprintError, _ message: String) {
        #expect(throws: error) { try Fingerprint(base64: text) }
        #expect(error.description == message)
    }

    @Test func fingerprintFromBytesChecksLengthAndVersion() {
        #expect(Fingerprint(bytes: [UInt8](repeating: 0, count: 32)) == nil)
        #expect(Fingerprint(bytes: [UInt8](repeating: 0, count: 34)) == nil)
        #expect(Fingerprint(bytes: [1] + [UInt8](repeating: 0, count: 32)) == nil)
        #expect(Fingerprint(bytes: [UInt8](repeating: 0, count: 33))?.base64 == "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    }
}

@Suite struct ObjectIDTests {
    @Test func parsesHexEitherCase() {
        let lower = ObjectID(hex: "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
        let upper = ObjectID(hex: "E69DE29BB2D1D6434B8B29AE775AD8C2E48C5391")
        #expect(lower != nil)
        #expect(lower == upper)
        #expect(upper?.hex == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
        #expect(upper?.short == "e69de29bb2")
    }

    @Test(arguments: [
        "", "e69de29b", "e69de29bb2d1d6434b8b29ae775ad8c2e48c539", "e69de29bb2d1d6434b8b29ae775ad8c2e48c53910",
        "g69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "e69de29bb2d1d6434b8b29ae775ad8c2e48c539 ",
        "e69de29bb2d1d6434b8b29ae775ad8c2e48c53é",
    ])
    func refusesBadHex(_ text: String) {
        #expect(ObjectID(hex: text) == nil)
    }

    @Test func zeroAndBytes() {
        #expect(ObjectID.zero.isZero)
        #expect(ObjectID.zero.hex == String(repeating: "0", count: 40))
        #expect(ObjectID(bytes: [1, 2, 3]) == nil)
        #expect(ObjectID(bytes: [UInt8](repeating: 9, count: 20))?.isZero == false)
    }
}
