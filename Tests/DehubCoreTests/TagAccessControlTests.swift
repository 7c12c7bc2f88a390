import Testing

@testable import DehubCore

/// Format §7.5 and §13.3 as tables: the `tag` filter, `payload_type: tag`, which entries judge a tag, the tag
/// default, and that commits are judged exactly as before.
@Suite struct TagAccessControlTests {
    typealias T = AccessControlEvaluatorTests
    static let allowReleases = AccessControl(
        action: .allow, filters: [.tag(T.glob("v*")), T.signature(["alice", "bob", "carol"], .number(2))])
    static let anySigned = AccessControl(action: .allow, filters: [T.signature(nil)])

    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var facts: CommitFacts
        var controls: [AccessControl]
        var action: AccessAction
        var source: AccessControlSource
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a config that says nothing of tags refuses them", facts: .tag("v1.0", verifiedAccounts: ["alice", "bob"]),
            controls: [], action: .deny, source: .tagDefault),
        Case(
            name: "an entry without a tag filter never judges a tag", facts: .tag("v1.0", verifiedAccounts: ["alice"]),
            controls: [anySigned], action: .deny, source: .tagDefault),
        Case(
            name: "two of three sign a v* tag", facts: .tag("v1.0", verifiedAccounts: ["alice", "bob"]),
            controls: [anySigned, allowReleases], action: .allow, source: .config(index: 1)),
        Case(
            name: "one of three is not enough", facts: .tag("v1.0", verifiedAccounts: ["alice"]),
            controls: [allowReleases], action: .deny, source: .tagDefault),
        Case(
            name: "a name outside the pattern", facts: .tag("nightly", verifiedAccounts: ["alice", "bob"]),
            controls: [allowReleases], action: .deny, source: .tagDefault),
        Case(
            name: "payload_type: tag speaks of tags", facts: .tag("x", verifiedAccounts: ["carol"]),
            controls: [AccessControl(action: .allow, filters: [.payloadType(.tag), T.signature(nil)])], action: .allow,
            source: .config(index: 0)),
        Case(
            name: "a branch filter never matches a tag", facts: .tag("main", verifiedAccounts: ["alice", "bob"]),
            controls: [AccessControl(action: .allow, filters: [.tag(T.glob("**")), .branch(T.glob("**"))])], action: .deny,
            source: .tagDefault),
        Case(
            name: "not under a tag entry", facts: .tag("v1.0", verifiedAccounts: ["alice"]),
            controls: [
                AccessControl(action: .deny, filters: [.tag(T.glob("**")), .not(T.signature(["alice", "bob"], .number(2)))]),
                allowReleases,
            ],
            action: .deny, source: .config(index: 0)),
        Case(
            name: "a tag filter never matches a commit", facts: T.facts(signed: ["alice"]),
            controls: [AccessControl(action: .deny, filters: [.tag(T.glob("**"))])], action: .allow, source: .defaults(index: 2)),
        Case(
            name: "payload_type: tag never matches a commit", facts: T.facts(branch: "t", signed: ["alice"]),
            controls: [AccessControl(action: .deny, filters: [.payloadType(.tag)])], action: .allow, source: .defaults(index: 1)),
    ]

    @Test(arguments: cases)
    func decides(_ c: Case) {
        let decision = T.evaluate(c.facts, c.controls)
        #expect(decision.action == c.action)
        #expect(decision.source == c.source)
    }

    /// Format §8.4 for tags: the deciding entry, what was needed of which accounts, who verified, who is missing.
    @Test func denialTextNamesTheMissingAccounts() {
        let facts = CommitFacts.tag("v1.0", verifiedAccounts: ["alice"])
        let decision = T.evaluate(facts, [Self.allowReleases])
        #expect(
            AccessDenialText.reason(decision, facts: facts) == "the default access control for tags denies tag 'v1.0'; "
                + "access_controls[0] of .dehub/config.yml needs credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol"
        )
        #expect(AccessDenialText.hint(decision, facts: facts).contains("dehub tag v1.0 --propose BRANCH"))
    }

    @Test func denialTextForAConfigWithoutTagRules() {
        let facts = CommitFacts.tag("v1.0", verifiedAccounts: ["alice"])
        let decision = T.evaluate(facts, [])
        #expect(
            AccessDenialText.reason(decision, facts: facts) == "the default access control for tags denies tag 'v1.0': "
                + "no entry of .dehub/config.yml that speaks of tags (a `tag` or `payload_type: tag` filter) allows it")
        #expect(
            AccessDenialText.hint(decision, facts: facts)
                == "releases need an access control for tags in .dehub/config.yml (see docs/format.md §13)")
    }

    @Test func configDecodesTheTagFilter() throws {
        let yaml = """
            accounts: [{id: alice}, {id: bob}]
            access_controls:
            - action: allow
              filters:
              - {type: tag, pattern: "v*"}
              - {type: payload_type, payload_type: tag}
              - {type: signature, account_ids: [alice, bob], count: 2}

            """
        let config = try ConfigDecoder.decode(Array(yaml.utf8))
        #expect(config.accessControls.first?.filters.first == .tag(T.glob("v*")))
        #expect(config.accessControls.first?.speaksOfTags == true)
        #expect(
            Fixtures.configError("access_controls: [{action: allow, filters: [{type: tag}]}]")?.contains("pattern: is required")
                == true)
        #expect(
            Fixtures.configError("access_controls: [{action: allow, filters: [{type: tags, pattern: x}]}]")?
                .contains("unknown filter type 'tags' (expected branch, tag, files_changed") == true)
    }
}
