import Testing

@testable import DehubCore

@Suite struct CommitMessageParseTests {
    let fp = Fixtures.fingerprintText

    @Test func parsesAChangeWithAPGPCredential() throws {
        let m = try CommitMessage.parse(
            """
            Add a file

            ---
            type: change
            description: |-
              Add a file

              With a longer explanation.
            fingerprint: \(fp)
            credentials:
            - type: pgp_signature
              pub_key_id: 95c46fa6a41148ac
              body: c2lnOkE=
              account: alice

            """)
        #expect(m.head == "Add a file")
        #expect(m.payload.body == .change(description: "Add a file\n\nWith a longer explanation."))
        #expect(m.payload.fingerprint == Fixtures.fingerprint)
        #expect(m.payload.type == .change)
        // key ids are normalised to upper case
        #expect(
            m.payload.credentials == [
                .pgp(PGPCredential(pubKeyID: "95C46FA6A41148AC", signature: Array("sig:A".utf8), account: "alice"))
            ])
    }

    @Test func legacyNamesAndMissingTypeMeanChange() throws {
        let m = try CommitMessage.parse("h\n\nmessage: old style\nchange_hash: \(fp)\n")
        #expect(m.payload.body == .change(description: "old style"))
        #expect(m.payload.fingerprint == Fixtures.fingerprint)
        #expect(m.payload.credentials.isEmpty)
        let comment = try CommitMessage.parse("h\n---\ntype: comment\nmessage: LGTM\nfingerprint: \(fp)\n")
        #expect(comment.payload.body == .comment("LGTM"))
    }

    @Test func parsesCommentsCredentialsAndAnonymousAndSSHCredentials() throws {
        let commit = String(repeating: "ab", count: 20)
        let m = try CommitMessage.parse(
            """
            Credential of alice
            ---
            type: credential
            commits: ['\(commit)', \(commit.uppercased())]
            change_description: Combined change
            fingerprint: \(fp)
            credentials:
            - type: pgp_signature
              pub_key_id: 95C46FA6A41148AC
              pub_key_body: "-----BEGIN PGP PUBLIC KEY BLOCK-----"
              body: c2ln
            - type: ssh_signature
              pub_key: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA carol@laptop
              body: c2ln
              account: carol
            """)
        #expect(m.head == "Credential of alice")
        #expect(m.payload.body == .credential(commits: [commit, commit.uppercased()], changeDescription: "Combined change"))
        #expect(
            m.payload.credentials == [
                .pgp(
                    PGPCredential(
                        pubKeyID: "95C46FA6A41148AC", signature: Array("sig".utf8), account: nil,
                        pubKeyBody: "-----BEGIN PGP PUBLIC KEY BLOCK-----")),
                .ssh(
                    SSHCredential(
                        pubKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA carol@laptop", signature: Array("sig".utf8),
                        account: "carol")),
            ])
        #expect(m.payload.credentials.map(\.account) == [nil, "carol"])
        let bare = try CommitMessage.parse("h\n---\ntype: credential\nfingerprint: \(fp)\ncredentials:\n")
        #expect(bare.payload.body == .credential(commits: [], changeDescription: nil))
        #expect(bare.payload.credentials.isEmpty)
    }

    @Test func headIsEverythingUpToTheFirstNewline() throws {
        #expect(
            try CommitMessage.parse("  spaced head  \ntype: comment\ncomment: x\nfingerprint: \(fp)").head == "  spaced head  ")
        #expect(try CommitMessage.parse("\ntype: comment\ncomment: x\nfingerprint: \(fp)").head == "")
        #expect(try CommitMessage.parse("---\n---\ntype: comment\ncomment: x\nfingerprint: \(fp)").head == "---")
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var name: String
        var message: String
        var expected: String
        var exact: Bool
        var testDescription: String { name }
    }

    static let fp = Fixtures.fingerprintText
    static func bad(_ name: String, _ yaml: String, _ expected: String, exact: Bool = false) -> Bad {
        Bad(name: name, message: Fixtures.message(yaml), expected: expected, exact: exact)
    }

    static let badMessages: [Bad] = [
        Bad(
            name: "single line", message: "Just a normal commit",
            expected:
                "commit message has no payload: it is a single line (is this a dehub commit?)", exact: true),
        Bad(
            name: "empty", message: "", expected: "commit message has no payload: it is a single line (is this a dehub commit?)",
            exact: true),
        Bad(
            name: "head and newline", message: "head\n",
            expected:
                "commit message has no payload after its head line (is this a dehub commit?)", exact: true),
        Bad(
            name: "head and comments", message: "head\n\n# Please enter the commit message\n",
            expected:
                "commit message has no payload after its head line (is this a dehub commit?)", exact: true),
        Bad(
            name: "ordinary git message body", message: "Fix bug\n\nThis fixes the bug.\n",
            expected:
                "payload line 3, column 1: expected a mapping, found string", exact: true),
        bad("empty document", "---\n", "payload line 4, column 1: expected a mapping, found null", exact: true),
        bad("a list", "- a\n", "payload line 3, column 1: expected a mapping, found a list", exact: true),
        bad(
            "duplicate key", "type: change\ntype: comment\n",
            "payload is not valid YAML: line 4, column 1: duplicate key 'type'", exact: true),
        bad(
            "invalid YAML", "type: [change\n",
            "payload is not valid YAML: line 4, column 1: while parsing a flow sequence: did not find expected ',' or ']'"),
        bad(
            "anchor", "type: &t change\n", "payload is not valid YAML: line 3, column 7: anchors (&name) are not allowed",
            exact: true),
        bad(
            "tag", "type: !!str change\n", "payload is not valid YAML: line 3, column 7: tags (!tag) are not allowed", exact: true
        ),
        bad(
            "two documents", "type: change\n---\ntype: change\n",
            "payload is not valid YAML: line 4, column 1: only one YAML document is allowed; a second one starts here",
            exact: true),
        bad(
            "unknown type", "type: merge\ndescription: x\nfingerprint: \(fp)\n",
            "payload line 3, column 7: type: unknown payload type 'merge' (expected change, comment, credential or tag)",
            exact: true),
        bad("type not a string", "type: [change]\n", "type: expected a string, found a list"),
        bad(
            "type null", "type:\nfingerprint: \(fp)\n",
            "type: expected a string, found an empty value (quote it if a string is meant)"),
        bad(
            "unknown key", "description: x\nfingerprint: \(fp)\ncolour: blue\n",
            "payload line 5, column 1: colour: unknown key", exact: true),
        bad("YAML 1.1 merge key", "description: text\n<<: {description: x}\nfingerprint: \(fp)\n", "<<: unknown key"),
        bad("misspelt legacy key", "descripton: x\ndescription: x\nfingerprint: \(fp)\n", "descripton: unknown key"),
        bad(
            "missing fingerprint", "type: change\ndescription: x\n", "payload line 3, column 1: fingerprint: is required",
            exact: true),
        bad("missing description", "type: change\nfingerprint: \(fp)\n", "description: is required"),
        bad("missing comment", "type: comment\nfingerprint: \(fp)\n", "comment: is required"),
        bad(
            "fingerprint not base64", "description: x\nfingerprint: not base64!\n",
            "payload line 4, column 14: fingerprint: is not valid standard base64", exact: true),
        bad("fingerprint too short", "description: x\nfingerprint: AAAA\n", "fingerprint: decodes to 3 bytes, expected 33"),
        bad(
            "fingerprint unknown version",
            "description: x\nfingerprint: \(Base64.encode([1] + [UInt8](repeating: 0, count: 32)))\n",
            "fingerprint: has version 1, only version 0 is known"),
        bad(
            "fingerprint a number", "description: x\nfingerprint: 12345678\n",
            "fingerprint: expected a string, found integer '12345678' (quote it if a string is meant)"),
        bad(
            "both fingerprint names", "description: x\nfingerprint: \(fp)\nchange_hash: \(fp)\n",
            "change_hash: given together with fingerprint; use only fingerprint"),
        bad(
            "both description names", "description: x\nmessage: y\nfingerprint: \(fp)\n",
            "message: given together with description; use only description"),
        bad(
            "description a boolean", "description: no\nfingerprint: \(fp)\n",
            "description: expected a string, found boolean 'no' (quote it if a string is meant)"),
        bad(
            "description a number", "description: 1.5\nfingerprint: \(fp)\n",
            "description: expected a string, found number '1.5' (quote it if a string is meant)"),
        bad(
            "description a mapping", "description: {a: b}\nfingerprint: \(fp)\n",
            "description: expected a string, found a mapping"),
        bad(
            "credential commit id short", "type: credential\ncommits: [abc]\nfingerprint: \(fp)\n",
            "commits[0]: is not a 40-digit commit id"),
        bad(
            "credential commits not a list", "type: credential\ncommits: abc\nfingerprint: \(fp)\n",
            "commits: expected a list, found string"),
        bad(
            "credentials not a list", "description: x\nfingerprint: \(fp)\ncredentials: yes\n",
            "credentials: expected a list, found boolean"),
        bad(
            "credential not a mapping", "description: x\nfingerprint: \(fp)\ncredentials: [x]\n",
            "credentials[0]: expected a mapping, found string"),
        bad(
            "account: no",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: no\n",
            "credentials[0].account: expected a string, found boolean 'no' (quote it if a string is meant)"),
        bad(
            "account: 123",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: ssh_signature\n  pub_key: ssh-ed25519 AAAA\n  body: c2ln\n  account: 123\n",
            "credentials[0].account: expected a string, found integer '123' (quote it if a string is meant)"),
        bad(
            "invalid account id",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: ../alice\n",
            "credentials[0].account: must be 1 to 64 characters of letters, digits, '.', '_' or '-', not starting with '-' or '.'"
        ),
        bad(
            "unknown credential type", "description: x\nfingerprint: \(fp)\ncredentials:\n- type: x509_signature\n  body: c2ln\n",
            "credentials[0].type: unknown credential type 'x509_signature' (expected pgp_signature or ssh_signature)"),
        bad(
            "credential without type", "description: x\nfingerprint: \(fp)\ncredentials:\n- body: c2ln\n",
            "credentials[0].type: is required"),
        bad(
            "pgp: neither account nor key body",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n",
            "credentials[0].account: is required (or pub_key_body, for an anonymous credential)"),
        bad(
            "pgp: both account and key body",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: alice\n  pub_key_body: KEY\n",
            "credentials[0].pub_key_body: is only for anonymous credentials, which have no account"),
        bad(
            "pgp: short key id",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: A41148AC\n  body: c2ln\n  account: alice\n",
            "credentials[0].pub_key_id: must be a long key id of 16 hex digits"),
        bad(
            "pgp: non-hex key id",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AG\n  body: c2ln\n  account: alice\n",
            "credentials[0].pub_key_id: must be a long key id of 16 hex digits"),
        bad(
            "pgp: fingerprint instead of key id",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 0F1E2D3C4B5A69788796A5B495C46FA6A41148AC\n  body: c2ln\n  account: alice\n",
            "credentials[0].pub_key_id: must be a long key id of 16 hex digits"),
        bad(
            "pgp: unquoted all-digit key id",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 1234567812345678\n  body: c2ln\n  account: alice\n",
            "credentials[0].pub_key_id: expected a string, found integer '1234567812345678' (quote it if a string is meant)"),
        bad(
            "pgp: missing key id",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  body: c2ln\n  account: alice\n",
            "credentials[0].pub_key_id: is required"),
        bad(
            "pgp: missing body",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  account: alice\n",
            "credentials[0].body: is required"),
        bad(
            "pgp: body not base64",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: 'c2ln c2ln'\n  account: alice\n",
            "credentials[0].body: is not valid standard base64"),
        bad(
            "pgp: empty body",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: ''\n  account: alice\n",
            "credentials[0].body: is not valid standard base64"),
        bad(
            "pgp: unknown key",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: alice\n  pub_key: x\n",
            "credentials[0].pub_key: unknown key"),
        bad(
            "ssh: missing account",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: ssh_signature\n  pub_key: ssh-ed25519 AAAA\n  body: c2ln\n",
            "credentials[0].account: is required"),
        bad(
            "ssh: missing key",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: ssh_signature\n  body: c2ln\n  account: alice\n",
            "credentials[0].pub_key: is required"),
        bad(
            "ssh: pub_key_id is not an ssh field",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: ssh_signature\n  pub_key: ssh-ed25519 AAAA\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: alice\n",
            "credentials[0].pub_key_id: unknown key"),
        bad(
            "ssh: anonymous is not allowed",
            "description: x\nfingerprint: \(fp)\ncredentials:\n- type: ssh_signature\n  pub_key: ssh-ed25519 AAAA\n  body: c2ln\n  pub_key_body: x\n",
            "credentials[0].account: is required"),
    ]

    @Test(arguments: badMessages)
    func refuses(_ b: Bad) {
        let error = Fixtures.payloadError(b.message)
        if b.exact {
            #expect(error == b.expected)
        } else {
            #expect(error?.contains(b.expected) == true, "got \(error ?? "no error")")
            #expect(error?.hasPrefix("payload") == true)
        }
    }

    @Test func sizeLimits() {
        let small = PayloadLimits(
            maxMessageBytes: 400, maxTextBytes: 10, maxCredentials: 1, maxSignatureBytes: 6, maxPublicKeyBytes: 8)
        let cred = "- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: alice\n"
        #expect(
            Fixtures.payloadError(String(repeating: "x", count: 401), limits: small)
                == "commit message is 401 bytes, more than the limit of 400")
        #expect(
            Fixtures.payloadError("h\n\ndescription: abcdefghijk\nfingerprint: \(fp)\n", limits: small)?
                .hasSuffix("description: is 11 bytes, more than the limit of 10") == true)
        #expect(Fixtures.payloadError("h\n\ndescription: abcdefghij\nfingerprint: \(fp)\n", limits: small) == nil)
        #expect(
            Fixtures.payloadError("h\n\ntype: comment\ncomment: ééééééé\nfingerprint: \(fp)\n", limits: small)?
                .hasSuffix("comment: is 14 bytes, more than the limit of 10") == true)
        #expect(
            Fixtures.payloadError("h\n\ntype: credential\nchange_description: abcdefghijk\nfingerprint: \(fp)\n", limits: small)?
                .hasSuffix("change_description: is 11 bytes, more than the limit of 10") == true)
        #expect(
            Fixtures.payloadError("h\n\ndescription: x\nfingerprint: \(fp)\ncredentials:\n" + cred + cred, limits: small)?
                .hasSuffix("credentials: has 2 entries, more than the limit of 1") == true)
        #expect(Fixtures.payloadError("h\n\ndescription: x\nfingerprint: \(fp)\ncredentials:\n" + cred, limits: small) == nil)
        let bigBody =
            "- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: \(Base64.encode([UInt8](repeating: 1, count: 30)))\n  account: alice\n"
        #expect(
            Fixtures.payloadError("h\n\ndescription: x\nfingerprint: \(fp)\ncredentials:\n" + bigBody, limits: small)?
                .hasSuffix("credentials[0].body: is more than 6 bytes") == true)
        let bigKey = "- type: ssh_signature\n  pub_key: ssh-ed25519 AAAAAAAA\n  body: c2ln\n  account: alice\n"
        #expect(
            Fixtures.payloadError("h\n\ndescription: x\nfingerprint: \(fp)\ncredentials:\n" + bigKey, limits: small)?
                .hasSuffix("credentials[0].pub_key: is more than 8 bytes") == true)
        let bigAnon = "- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  pub_key_body: 123456789abc\n"
        #expect(
            Fixtures.payloadError("h\n\ndescription: x\nfingerprint: \(fp)\ncredentials:\n" + bigAnon, limits: small)?
                .hasSuffix("credentials[0].pub_key_body: is more than 8 bytes") == true)
    }

    /// A body just over the signature limit in decoded bytes must be refused too, not only one over it in text.
    @Test func signatureLimitIsInDecodedBytes() {
        let limits = PayloadLimits(maxSignatureBytes: 6)
        let body = Base64.encode([UInt8](repeating: 1, count: 9))  // 12 characters, 9 bytes
        let message =
            "h\n\ndescription: x\nfingerprint: \(fp)\ncredentials:\n- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: \(body)\n  account: alice\n"
        #expect(Fixtures.payloadError(message, limits: limits)?.hasSuffix("credentials[0].body: is more than 6 bytes") == true)
    }

    @Test func defaultLimits() {
        let d = PayloadLimits.default
        #expect(d.maxMessageBytes == 1 << 20)
        #expect(d.maxTextBytes == 256 << 10)
        #expect(d.maxCredentials == 32)
        #expect(d.maxSignatureBytes == 16 << 10)
        #expect(d.maxPublicKeyBytes == 64 << 10)
    }

    /// Format §2.4: at most 32 credentials on one commit, under the default limits (a push that copies hundreds of
    /// credentials onto each commit is refused at the first one, before any signature is checked).
    @Test func refusesMoreThan32CredentialsByDefault() {
        let credential = "- type: pgp_signature\n  pub_key_id: 95C46FA6A41148AC\n  body: c2ln\n  account: alice\n"
        func message(_ n: Int) -> String {
            "h\n\ndescription: x\nfingerprint: \(fp)\ncredentials:\n" + String(repeating: credential, count: n)
        }
        #expect(Fixtures.payloadError(message(32)) == nil)
        #expect(Fixtures.payloadError(message(33))?.hasSuffix("credentials: has 33 entries, more than the limit of 32") == true)
    }
}

@Suite struct CommitMessageRenderTests {
    @Test func renderKeepsOnlyTheFirstLineOfTheHead() throws {
        let m = CommitMessage(head: "first\nsecond", payload: Payload(body: .comment("x"), fingerprint: Fixtures.fingerprint))
        #expect(try CommitMessage.parse(m.render()).head == "first")
    }

    @Test func rendersTheFormatLayout() {
        let payload = Payload(
            body: .change(description: "Add a file"),
            fingerprint: try! Fingerprint(base64: "ABjbn9e3ZGyiT8dlUMmchlUbyjAXCX5VeBEAXsD3za66"),
            credentials: [.pgp(PGPCredential(pubKeyID: "95C46FA6A41148AC", signature: Array("sig:A".utf8), account: "alice"))])
        #expect(
            CommitMessage(head: "Add a file", payload: payload).render() == """
                Add a file

                ---
                type: change
                description: Add a file
                fingerprint: ABjbn9e3ZGyiT8dlUMmchlUbyjAXCX5VeBEAXsD3za66
                credentials:
                - type: pgp_signature
                  pub_key_id: 95C46FA6A41148AC
                  body: c2lnOkE=
                  account: alice

                """)
    }

    @Test func rendersMultiLineDescriptionsAsLiteralBlocksAndQuotesAmbiguousScalars() {
        let payload = Payload(
            body: .change(description: "line 1\n\nline 3"), fingerprint: Fixtures.fingerprint,
            credentials: [
                .pgp(PGPCredential(pubKeyID: "1234567812345678", signature: [1], account: nil, pubKeyBody: "KEY")),
                .ssh(SSHCredential(pubKey: "ssh-ed25519 AAAA c", signature: [2], account: "no")),
            ])
        let text = CommitMessage(head: "h", payload: payload).render()
        #expect(text.contains("description: |-\n  line 1\n\n  line 3\n"))
        #expect(text.contains("pub_key_id: '1234567812345678'"))
        #expect(text.contains("account: 'no'"))
        #expect(text.contains("credentials: []") == false)
        let empty = CommitMessage(head: "h", payload: Payload(body: .comment("yes"), fingerprint: Fixtures.fingerprint))
        #expect(
            empty.render()
                == "h\n\n---\ntype: comment\ncomment: 'yes'\nfingerprint: \(Fixtures.fingerprintText)\ncredentials: []\n")
    }

}

@Suite struct CommitMessageDefaultHeadTests {
    @Test(arguments: [
        (Payload.Body.change(description: "Fix the parser\n\nDetails."), "Fix the parser"),
        (.change(description: ""), ""),
        (.comment("LGTM"), "Comment: \"LGTM\""),
        (.comment("first line\nsecond"), "Comment: \"first line\""),
        (.comment(String(repeating: "a", count: 60)), "Comment: \"\(String(repeating: "a", count: 60))\""),
        (.comment(String(repeating: "a", count: 61)), "Comment: \"\(String(repeating: "a", count: 57))...\""),
        (.credential(commits: [], changeDescription: nil), "Credential of nobody"),
    ])
    func defaultHeads(_ body: Payload.Body, _ head: String) {
        #expect(CommitMessage.defaultHead(for: Payload(body: body, fingerprint: Fixtures.fingerprint)) == head)
    }

    @Test func credentialHeadNamesAccountsOnce() {
        let anon = Credential.pgp(PGPCredential(pubKeyID: "95C46FA6A41148AC", signature: [1], account: nil, pubKeyBody: "K"))
        let carol = Credential.ssh(SSHCredential(pubKey: "k", signature: [1], account: "carol"))
        let p = Payload(
            body: .credential(commits: [], changeDescription: nil), fingerprint: Fixtures.fingerprint,
            credentials: [Fixtures.pgpCredential, carol, Fixtures.pgpCredential, anon, anon])
        #expect(CommitMessage.defaultHead(for: p) == "Credential of alice, carol, anonymous")
    }

    /// A description whose lines end in CRLF: the head dehub writes must be its first line only, or the rendered
    /// message puts the rest of the description before the payload and no longer parses.
    @Test func defaultHeadStopsAtCRLF() throws {
        let description = "Fix the parser\r\nDetails."
        #expect(
            CommitMessage.defaultHead(for: Payload(body: .change(description: description), fingerprint: Fixtures.fingerprint))
                == "Fix the parser")
    }

    /// CommitInfo.head (Ports.swift) is the verdict's display head: the first line, without its line end.
    @Test func commitInfoHeadStopsAtCRLF() {
        let info = CommitInfo(id: .zero, parents: [], tree: .zero, message: "Fix the parser\r\n\n---\ntype: change\n")
        #expect(CommitInfo(id: .zero, parents: [], tree: .zero, message: "Fix\n\nbody").head == "Fix")
        #expect(info.head == "Fix the parser")
    }
}
