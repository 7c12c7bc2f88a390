import Testing

@testable import DehubCore

/// Format §4.4 and §5.5: the `tag` payload reads back as written, its fingerprint is pinned byte for byte, and tag
/// names are checked strictly.
@Suite struct TagPayloadTests {
    static let target = ObjectID(hex: "5a3c1e0f9b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7a")!
    static let description = "dehub 1.0\n\nThe first release."

    /// The worked example of format §5.5 (computed independently with Python's hashlib).
    @Test(arguments: [
        ("v1.0", description, "AH4BQq05Q1Kcvz7xF2izaC7ALNu28H5PPyGuz7lrtRVq"),
        ("v1.0", "", "AMpufb+Tlk/fZ82mkgCYhY58FTZJGawwPILJ+o8oRA+L"),
        ("v1.1", description, "AO14rn2iS4BDMDer764MMPGvB39qM5oWGHs/HP3yMzRM"),
    ])
    func pinnedFingerprints(name: String, description: String, expected: String) {
        #expect(Fingerprint.tag(name: name, target: Self.target, description: description).base64 == expected)
    }

    @Test func theMarkerIsTheLargestUvarint() {
        #expect(Fingerprint.tagMarker == UVarint.encode(UInt64.max))
    }

    /// The name, the target and the description each change the fingerprint; a change or a comment with the same
    /// text never has it.
    @Test func everyFieldCountsAndTypesNeverCollide() {
        let base = Fingerprint.tag(name: "v1.0", target: Self.target, description: "d")
        #expect(Fingerprint.tag(name: "v1.1", target: Self.target, description: "d") != base)
        #expect(
            Fingerprint.tag(name: "v1.0", target: ObjectID(hex: String(repeating: "1", count: 40))!, description: "d") != base)
        #expect(Fingerprint.tag(name: "v1.0", target: Self.target, description: "e") != base)
        #expect(Fingerprint.comment("d") != base)
        #expect(Fingerprint.change(description: "v1.0", files: []) != base)
    }

    @Test func roundTrip() throws {
        let fields = TagFields(name: "v1.0", target: Self.target, description: Self.description)
        let payload = Payload(body: .tag(fields), fingerprint: fields.fingerprint, credentials: [Fixtures.pgpCredential])
        let message = CommitMessage(head: CommitMessage.defaultHead(for: payload), payload: payload)
        let text = message.render()
        #expect(
            text.hasPrefix(
                "Release v1.0: dehub 1.0\n\n---\ntype: tag\ntag: v1.0\ntarget: 5a3c1e0f9b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7a\ndescription: |-\n"
            ))
        #expect(try CommitMessage.parse(text) == message)
    }

    static let badPayloads: [(String, String)] = [
        (
            "type: tag\ntarget: 5a3c1e0f9b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7a\ndescription: d\nfingerprint: \(Fixtures.fingerprintText)\n",
            "tag: is required"
        ),
        ("type: tag\ntag: v1\ndescription: d\nfingerprint: \(Fixtures.fingerprintText)\n", "target: is required"),
        (
            "type: tag\ntag: v1\ntarget: 5a3c\ndescription: d\nfingerprint: \(Fixtures.fingerprintText)\n",
            "target: is not a 40-digit commit id"
        ),
        (
            "type: tag\ntag: v1\ntarget: 5a3c1e0f9b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7a\nfingerprint: \(Fixtures.fingerprintText)\n",
            "description: is required"
        ),
        (
            "type: tag\ntag: ../x\ntarget: 5a3c1e0f9b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7a\ndescription: d\nfingerprint: \(Fixtures.fingerprintText)\n",
            "tag: '../x' must be 1 to 128"
        ),
        (
            "type: tag\ntag: v1\ntarget: 5a3c1e0f9b7d2c4e6a8b0d1f3e5c7a9b1d3f5e7a\ndescription: d\ncommits: []\nfingerprint: \(Fixtures.fingerprintText)\n",
            "commits: unknown key"
        ),
        (
            "type: release\nfingerprint: \(Fixtures.fingerprintText)\n",
            "unknown payload type 'release' (expected change, comment, credential or tag)"
        ),
    ]

    @Test(arguments: badPayloads)
    func refusedPayloads(yaml: String, expected: String) {
        let error = Fixtures.payloadError(Fixtures.message(yaml))
        #expect(error?.contains(expected) == true, "\(error ?? "accepted")")
    }

    @Test(arguments: ["v1.0", "release/2026-11", "v1.0+build.1", "1", "v_1-rc.2"])
    func validNames(name: String) { #expect(TagName.problem(name) == nil) }

    @Test(arguments: [
        "", "-v1", ".v1", "v1.", "a..b", "a//b", "/v1", "v1/", "v1.lock", "a/.b", "v 1", "v1~1", "v1^", "v1:x", "v1@{0}",
        "é", String(repeating: "a", count: 129),
    ])
    func invalidNames(name: String) { #expect(TagName.problem(name) != nil) }
}
