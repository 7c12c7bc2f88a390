import Testing

@testable import DehubCore

@Suite struct ConfigDecoderTests {
    static let armoredKey = """
        -----BEGIN PGP PUBLIC KEY BLOCK-----

        mDMEZWl0ZRYJKwYBBAHaRw8BAQdAq1Bf5H3sYxV2d9kq2oVtB4uJ0o3c2lmF1xL0
        f8VbTsO0GkFsaWNlIDxhbGljZUBleGFtcGxlLm9yZz6IkwQTFgoAOxYhBJXEb6ak
        =Q5kT
        -----END PGP PUBLIC KEY BLOCK-----

        """
    static let sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl alice@laptop"

    /// The example of format §7, with real-looking keys.
    static let example = """
        accounts:
        - id: alice
          signifiers:
          - type: pgp_public_key_file        # armoured key stored in the repo
            path: .dehub/alice.asc
          - type: pgp_public_key             # armoured key inline
            body: |
        \(armoredKey.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "      " + $0 }.joined(separator: "\n"))
          - type: ssh_public_key             # (extension)
            body: \(sshKey)
          - type: ssh_public_key_file        # (extension)
            path: .dehub/alice.pub
        - id: bob
        - id: carol
          signifiers: []
        access_controls:
        - action: allow                      # or deny
          filters:                           # all must match; an entry with no filters always matches
          - type: branch
            pattern: main
          - type: signature
            account_ids: [alice, bob, carol] # or any_account: true
            count: 2                         # a number, or a percentage of account_ids such as "66%" (rounded up)
        - action: deny
          filters:
          - type: not
            filter:
              type: files_changed
              pattern: 'src/**/*.swift'
          - type: payload_type
            payload_type: comment
          - type: commit_attributes
            non_fast_forward: false
          - type: signature
            any_account: true
          - type: signature
            account_ids: [alice, carol]
            count: 66%
        - action: allow

        """

    @Test func decodesTheFormatExample() throws {
        let config = try ConfigDecoder.decode(Array(Self.example.utf8))
        #expect(config.accountIDs == ["alice", "bob", "carol"])
        #expect(
            config.account("alice")?.signifiers == [
                .pgpPublicKeyFile(path: ".dehub/alice.asc"),
                .pgpPublicKey(body: Self.armoredKey),
                .sshPublicKey(body: Self.sshKey),
                .sshPublicKeyFile(path: ".dehub/alice.pub"),
            ])
        #expect(config.account("bob")?.signifiers == [])
        #expect(config.account("dave") == nil)
        #expect(
            config.accessControls == [
                AccessControl(
                    action: .allow,
                    filters: [
                        .branch(try Glob("main")),
                        .signature(SignatureRequirement(accounts: .listed(["alice", "bob", "carol"]), count: .number(2))),
                    ]),
                AccessControl(
                    action: .deny,
                    filters: [
                        .not(.filesChanged(try Glob("src/**/*.swift"))),
                        .payloadType(.comment),
                        .commitAttributes(nonFastForward: false),
                        .signature(SignatureRequirement(accounts: .any, count: .number(1))),
                        .signature(SignatureRequirement(accounts: .listed(["alice", "carol"]), count: .percent(66))),
                    ]),
                AccessControl(action: .allow, filters: []),
            ])
        #expect(config.account("alice")?.signifiers.compactMap(\.filePath) == [".dehub/alice.asc", ".dehub/alice.pub"])
    }

    @Test(arguments: ["", "# nothing yet\n", "accounts:\naccess_controls:\n", "accounts: []\naccess_controls: []\n", "---\n{}\n"])
    func emptyConfigs(_ yaml: String) throws {
        #expect(try ConfigDecoder.decode(Array(yaml.utf8)) == Config())
    }

    @Test(arguments: [
        ("a", true), ("A.b_c-d", true), ("1alice", true), (String(repeating: "a", count: 64), true), ("_x", true),
        ("", false), ("-x", false), (".x", false), ("bad id", false), ("é", false), ("a/b", false), ("a:b", false),
        (String(repeating: "a", count: 65), false), ("a\u{0}", false),
    ])
    func accountIDRule(_ id: String, _ valid: Bool) {
        #expect(AccountID.isValid(id) == valid)
    }

    @Test(arguments: [
        (".dehub/alice.asc", ".dehub/alice.asc"), ("./.dehub//alice.asc", ".dehub/alice.asc"),
        (".dehub/./keys/b/", ".dehub/keys/b"),
        (".dehub/keys/alice.pub", ".dehub/keys/alice.pub"),
    ])
    func keyFilePathsAreNormalised(_ path: String, _ normal: String) throws {
        let config = try ConfigDecoder.decode(
            Array("accounts:\n- id: a\n  signifiers:\n  - type: pgp_public_key_file\n    path: '\(path)'\n".utf8))
        #expect(config.accounts.first?.signifiers == [.pgpPublicKeyFile(path: normal)])
    }

    @Test(arguments: [
        "keys/alice.pub", ".dehubx/a", "../x", "/etc/passwd", "a/../../b", "a/..", "..", ".", "./", "//", "a\\..\\b", "", "/",
        "a/\u{0}",
    ])
    func keyFilePathTricksAreRefused(_ path: String) {
        let yaml =
            "accounts:\n- id: a\n  signifiers:\n  - type: ssh_public_key_file\n    path: \"\(path.replacing("\\", with: "\\\\").replacing("\u{0}", with: "\\0"))\"\n"
        let error = Fixtures.configError(yaml)
        #expect(
            error?.hasPrefix(".dehub/config.yml: line 5, column 11: accounts[0].signifiers[0].path: '") == true,
            "\(error ?? "accepted")")
        #expect(
            error?.hasSuffix(
                "' must be a relative path under .dehub/ (no '..', no leading '/'), so that the config's own rules guard it")
                == true)
        #expect(RepoPath.normalize(path)?.hasPrefix(".dehub/") != true)
    }

    struct Bad: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var expected: String
        var exact: Bool
        var testDescription: String { name }
    }

    static func bad(_ name: String, _ yaml: String, _ expected: String, exact: Bool = false) -> Bad {
        Bad(name: name, yaml: yaml, expected: expected, exact: exact)
    }

    static let accounts = "accounts:\n- id: alice\n- id: bob\n"
    static func rule(_ filter: String, accounts: String = accounts) -> String {
        accounts + "access_controls:\n- action: allow\n  filters:\n" + filter
    }

    static let badConfigs: [Bad] = [
        // YAML
        bad(
            "duplicate key", "accounts: []\naccounts: []\n",
            ".dehub/config.yml is not valid YAML: line 2, column 1: duplicate key 'accounts'", exact: true),
        bad(
            "alias", "accounts: &a []\n",
            ".dehub/config.yml is not valid YAML: line 1, column 11: anchors (&name) are not allowed", exact: true),
        bad("two documents", "accounts: []\n---\naccounts: []\n", "only one YAML document is allowed"),
        bad("syntax", "accounts: [\n", ".dehub/config.yml is not valid YAML: line 2, column 1: "),
        bad(
            "root is a list", "- id: alice\n", ".dehub/config.yml: line 1, column 1: expected a mapping, found a list",
            exact: true),
        bad("root is a string", "hello\n", ".dehub/config.yml: line 1, column 1: expected a mapping, found string", exact: true),
        // unknown keys at each level
        bad(
            "unknown root key", "accounts: []\nrequire_signatures: true\n",
            ".dehub/config.yml: line 2, column 1: require_signatures: unknown key", exact: true),
        bad(
            "unknown account key", "accounts:\n- id: alice\n  name: Alice\n",
            ".dehub/config.yml: line 3, column 3: accounts[0].name: unknown key", exact: true),
        bad(
            "unknown signifier key",
            "accounts:\n- id: alice\n  signifiers:\n  - type: ssh_public_key\n    body: ssh-ed25519 AAAA\n    comment: x\n",
            ".dehub/config.yml: line 6, column 5: accounts[0].signifiers[0].comment: unknown key", exact: true),
        bad(
            "unknown access-control key", "access_controls:\n- action: allow\n  when: always\n",
            ".dehub/config.yml: line 3, column 3: access_controls[0].when: unknown key", exact: true),
        bad(
            "unknown filter key", rule("  - type: branch\n    pattern: main\n    glob: x\n"),
            "access_controls[0].filters[0].glob: unknown key"),
        bad(
            "unknown key in a not's filter",
            rule("  - type: not\n    filter:\n      type: branch\n      pattern: main\n      extra: 1\n"),
            "access_controls[0].filters[0].filter.extra: unknown key"),
        bad(
            "signature key on the wrong filter", rule("  - type: branch\n    pattern: main\n    count: 2\n"),
            "access_controls[0].filters[0].count: unknown key"),
        // unknown types
        bad(
            "unknown filter type", rule("  - type: path\n    pattern: main\n"),
            "access_controls[0].filters[0].type: unknown filter type 'path' (expected branch, tag, files_changed, payload_type, signature, commit_attributes or not)"
        ),
        bad(
            "unknown signifier type", "accounts:\n- id: alice\n  signifiers:\n  - type: x509_certificate\n    body: x\n",
            "accounts[0].signifiers[0].type: unknown signifier type 'x509_certificate' (expected pgp_public_key, pgp_public_key_file, ssh_public_key or ssh_public_key_file)"
        ),
        bad(
            "unknown action", "access_controls:\n- action: permit\n",
            ".dehub/config.yml: line 2, column 11: access_controls[0].action: must be allow or deny, not 'permit'", exact: true),
        bad(
            "unknown payload type", rule("  - type: payload_type\n    payload_type: merge\n"),
            "access_controls[0].filters[0].payload_type: must be change, comment, credential or tag, not 'merge'"),
        // accounts
        bad(
            "duplicate account id", "accounts:\n- id: alice\n- id: bob\n- id: alice\n",
            ".dehub/config.yml: accounts[2].id: duplicate account id 'alice'", exact: true),
        bad(
            "invalid account id", "accounts:\n- id: 'bad id'\n",
            ".dehub/config.yml: line 2, column 7: accounts[0].id: 'bad id' must be 1 to 64 characters of letters, digits, '.', '_' or '-', not starting with '-' or '.'",
            exact: true),
        bad(
            "account id a boolean", "accounts:\n- id: yes\n",
            "accounts[0].id: expected a string, found boolean 'yes' (quote it if a string is meant)"),
        bad(
            "account id a number", "accounts:\n- id: 007\n",
            "accounts[0].id: expected a string, found integer '007' (quote it if a string is meant)"),
        bad("missing account id", "accounts:\n- signifiers: []\n", "accounts[0].id: is required"),
        bad("accounts not a list", "accounts: alice\n", "accounts: expected a list, found string"),
        bad(
            "signifiers not a list", "accounts:\n- id: a\n  signifiers: {}\n",
            "accounts[0].signifiers: expected a list, found a mapping"),
        bad(
            "missing key body", "accounts:\n- id: a\n  signifiers:\n  - type: pgp_public_key\n",
            "accounts[0].signifiers[0].body: is required"),
        bad(
            "missing key path", "accounts:\n- id: a\n  signifiers:\n  - type: pgp_public_key_file\n",
            "accounts[0].signifiers[0].path: is required"),
        bad(
            "empty key path", "accounts:\n- id: a\n  signifiers:\n  - type: pgp_public_key_file\n    path:\n",
            "accounts[0].signifiers[0].path: expected a string, found an empty value (quote it if a string is meant)"),
        bad(
            "missing signifier type", "accounts:\n- id: a\n  signifiers:\n  - body: x\n",
            "accounts[0].signifiers[0].type: is required"),
        // access controls
        bad("missing action", "access_controls:\n- filters: []\n", "access_controls[0].action: is required"),
        bad("missing filter type", rule("  - pattern: main\n"), "access_controls[0].filters[0].type: is required"),
        bad("missing pattern", rule("  - type: branch\n"), "access_controls[0].filters[0].pattern: is required"),
        bad("missing payload type", rule("  - type: payload_type\n"), "access_controls[0].filters[0].payload_type: is required"),
        bad(
            "missing non_fast_forward", rule("  - type: commit_attributes\n"),
            "access_controls[0].filters[0].non_fast_forward: is required"),
        bad(
            "non_fast_forward: yes", rule("  - type: commit_attributes\n    non_fast_forward: yes\n"),
            "access_controls[0].filters[0].non_fast_forward: expected true or false, found boolean"),
        bad(
            "non_fast_forward quoted", rule("  - type: commit_attributes\n    non_fast_forward: 'true'\n"),
            "access_controls[0].filters[0].non_fast_forward: expected true or false, found string"),
        bad("missing not filter", rule("  - type: not\n"), "access_controls[0].filters[0].filter: is required"),
        bad(
            "filters not a list", "access_controls:\n- action: allow\n  filters: {type: branch}\n",
            "access_controls[0].filters: expected a list, found a mapping"),
        bad(
            "invalid glob", rule("  - type: branch\n    pattern: a**\n"),
            "access_controls[0].filters[0].pattern: invalid pattern: 'a**': '**' must stand alone between slashes"),
        bad(
            "invalid glob in files_changed", rule("  - type: files_changed\n    pattern: src/**.swift\n"),
            "access_controls[0].filters[0].pattern: invalid pattern: 'src/**.swift': '**' must stand alone between slashes"),
        bad(
            "empty glob", rule("  - type: branch\n    pattern: ''\n"),
            "access_controls[0].filters[0].pattern: invalid pattern: is empty"),
        // signature filters
        bad(
            "signature without accounts", rule("  - type: signature\n"),
            "access_controls[0].filters[0].account_ids: is required (or any_account: true)"),
        bad(
            "signature, any_account false", rule("  - type: signature\n    any_account: false\n"),
            "access_controls[0].filters[0].account_ids: is required (or any_account: true)"),
        bad(
            "signature with both", rule("  - type: signature\n    any_account: true\n    account_ids: [alice]\n"),
            "access_controls[0].filters[0].account_ids: cannot be given with any_account: true"),
        bad(
            "empty account_ids", rule("  - type: signature\n    account_ids: []\n"),
            "access_controls[0].filters[0].account_ids: must be a non-empty list of account ids"),
        bad(
            "account_ids a string", rule("  - type: signature\n    account_ids: alice\n"),
            "access_controls[0].filters[0].account_ids: must be a non-empty list of account ids"),
        bad(
            "account id in account_ids a boolean", rule("  - type: signature\n    account_ids: [alice, no]\n"),
            "access_controls[0].filters[0].account_ids[1]: expected a string, found boolean 'no' (quote it if a string is meant)"),
        bad(
            "unknown account", rule("  - type: signature\n    account_ids: [alice, mallory]\n"),
            ".dehub/config.yml: access_controls[0].filters[0].account_ids[1]: unknown account 'mallory'", exact: true),
        bad(
            "unknown account in a not", rule("  - type: not\n    filter:\n      type: signature\n      account_ids: [mallory]\n"),
            ".dehub/config.yml: access_controls[0].filters[0].filter.account_ids[0]: unknown account 'mallory'", exact: true),
        bad(
            "account listed twice", rule("  - type: signature\n    account_ids: [alice, bob, alice]\n    count: 2\n"),
            ".dehub/config.yml: access_controls[0].filters[0].account_ids[2]: account 'alice' is listed twice", exact: true),
        bad(
            "percentage with any_account", rule("  - type: signature\n    any_account: true\n    count: 50%\n"),
            ".dehub/config.yml: access_controls[0].filters[0].count: a percentage needs account_ids, not any_account", exact: true
        ),
        bad(
            "count above the listed accounts", rule("  - type: signature\n    account_ids: [alice, bob]\n    count: 3\n"),
            ".dehub/config.yml: access_controls[0].filters[0].count: 3 is more than the 2 listed account(s), so it can never be met",
            exact: true),
        bad(
            "count above all accounts", rule("  - type: signature\n    any_account: true\n    count: 3\n"),
            ".dehub/config.yml: access_controls[0].filters[0].count: 3 is more than the 2 account(s) in the config, so it can never be met",
            exact: true),
        bad(
            "any_account with no accounts",
            "access_controls:\n- action: allow\n  filters:\n  - type: signature\n    any_account: true\n",
            ".dehub/config.yml: access_controls[0].filters[0].count: 1 is more than the 0 account(s) in the config, so it can never be met",
            exact: true),
        bad(
            "count 0", rule("  - type: signature\n    account_ids: [alice]\n    count: 0\n"),
            ".dehub/config.yml: line 9, column 12: access_controls[0].filters[0].count: must be at least 1", exact: true),
        bad(
            "count 150%", rule("  - type: signature\n    account_ids: [alice]\n    count: 150%\n"),
            "access_controls[0].filters[0].count: percentage must be from 1% to 100%"),
        bad(
            "count 0%", rule("  - type: signature\n    account_ids: [alice]\n    count: '0%'\n"),
            "access_controls[0].filters[0].count: percentage must be from 1% to 100%"),
        bad(
            "quoted number", rule("  - type: signature\n    account_ids: [alice]\n    count: '1'\n"),
            "access_controls[0].filters[0].count: a number must not be quoted"),
        bad(
            "double-quoted number", rule("  - type: signature\n    account_ids: [alice]\n    count: \"1\"\n"),
            "access_controls[0].filters[0].count: a number must not be quoted"),
        bad(
            "negative count", rule("  - type: signature\n    account_ids: [alice]\n    count: -1\n"),
            "access_controls[0].filters[0].count: must be a whole number or a percentage such as \"66%\", not '-1'"),
        bad(
            "fractional count", rule("  - type: signature\n    account_ids: [alice]\n    count: 1.5\n"),
            "count: must be a whole number or a percentage such as \"66%\", not '1.5'"),
        bad(
            "fractional percentage", rule("  - type: signature\n    account_ids: [alice]\n    count: 66.6%\n"),
            "count: must be a whole number or a percentage such as \"66%\", not '66.6%'"),
        bad(
            "bare percent sign", rule("  - type: signature\n    account_ids: [alice]\n    count: '%'\n"),
            "count: must be a whole number or a percentage such as \"66%\", not '%'"),
        bad(
            "hex count", rule("  - type: signature\n    account_ids: [alice]\n    count: 0x1\n"),
            "count: must be a whole number or a percentage such as \"66%\", not '0x1'"),
        bad(
            "count with underscore", rule("  - type: signature\n    account_ids: [alice]\n    count: 1_0\n"),
            "count: must be a whole number or a percentage such as \"66%\", not '1_0'"),
        bad(
            "huge count", rule("  - type: signature\n    account_ids: [alice]\n    count: 99999999999999999999999\n"),
            "count: must be a whole number or a percentage such as \"66%\", not '99999999999999999999999'"),
        bad(
            "count a word", rule("  - type: signature\n    account_ids: [alice]\n    count: all\n"),
            "count: must be a whole number or a percentage such as \"66%\", not 'all'"),
        bad(
            "count a list", rule("  - type: signature\n    account_ids: [alice]\n    count: [1]\n"),
            "access_controls[0].filters[0].count: must be a number or a percentage such as \"66%\""),
        bad(
            "any_account: yes", rule("  - type: signature\n    any_account: yes\n"),
            "access_controls[0].filters[0].any_account: expected true or false, found boolean"),
    ]

    @Test(arguments: badConfigs)
    func refuses(_ b: Bad) {
        let error = Fixtures.configError(b.yaml)
        if b.exact {
            #expect(error == b.expected)
        } else {
            #expect(error?.contains(b.expected) == true, "got \(error ?? "no error")")
            #expect(error?.hasPrefix(".dehub/config.yml") == true)
        }
    }

    @Test func tooBigIsRefused() {
        let yaml = "# " + String(repeating: "x", count: ConfigDecoder.maxBytes)
        #expect(
            Fixtures.configError(yaml)
                == ".dehub/config.yml is not valid YAML: document is 1048578 bytes, more than the limit of 1048576")
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: ConfigError.self) { try ConfigDecoder.decode([0x61, 0x3a, 0x20, 0xC3, 0x28, 0x0a]) }
    }

    @Test(arguments: [
        ("1", SignatureRequirement.Count.number(1)), ("2", .number(2)), ("'66%'", .percent(66)),
        ("66%", .percent(66)), ("100%", .percent(100)), ("1%", .percent(1)), ("\"50%\"", .percent(50)),
    ])
    func countForms(_ text: String, _ count: SignatureRequirement.Count) throws {
        let config = try ConfigDecoder.decode(
            Array(Self.rule("  - type: signature\n    account_ids: [alice, bob]\n    count: \(text)\n").utf8))
        #expect(
            config.accessControls.first?.filters == [
                .signature(SignatureRequirement(accounts: .listed(["alice", "bob"]), count: count))
            ])
    }

    /// YAML 1.1 readers take `010` for the octal number 8: a count with a leading zero means different things to
    /// different readers and must be refused like every other ambiguous plain scalar.
    @Test func countWithLeadingZeroIsRefused() {
        let yaml = Self.rule("  - type: signature\n    account_ids: [alice, bob]\n    count: 02\n")
        #expect(Fixtures.configError(yaml) != nil)
    }

    @Test func percentageRoundsUp() {
        let config = Config(accounts: ["a", "b", "c"].map { Account(id: $0, signifiers: []) })
        func required(_ p: Int, of n: Int) -> Int {
            SignatureRequirement(accounts: .listed(Array(config.accountIDs.prefix(n))), count: .percent(p)).requiredCount(
                in: config)
        }
        #expect(required(66, of: 3) == 2)
        #expect(required(67, of: 3) == 3)
        #expect(required(100, of: 3) == 3)
        #expect(required(1, of: 3) == 1)
        #expect(required(34, of: 3) == 2)
        #expect(required(33, of: 3) == 1)
        #expect(required(50, of: 2) == 1)
        #expect(required(51, of: 2) == 2)
        #expect(SignatureRequirement(accounts: .any, count: .number(2)).requiredCount(in: config) == 2)
        #expect(SignatureRequirement(accounts: .any).countingAccounts(in: config) == ["a", "b", "c"])
    }
}
