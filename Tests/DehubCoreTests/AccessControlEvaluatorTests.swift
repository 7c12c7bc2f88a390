import Testing

@testable import DehubCore

@Suite struct AccessControlEvaluatorTests {
    static let accounts = ["alice", "bob", "carol"].map { Account(id: $0, signifiers: []) }

    static func facts(
        _ type: PayloadType = .change, branch: String = "main", paths: [String] = ["README.md"], nff: Bool = false,
        signed: Set<String> = []
    ) -> CommitFacts {
        CommitFacts(payloadType: type, branch: branch, changedPaths: paths, nonFastForward: nff, verifiedAccounts: signed)
    }

    static func evaluate(_ facts: CommitFacts, _ controls: [AccessControl] = [], accounts: [Account] = accounts) -> AccessDecision
    {
        AccessControlEvaluator.evaluate(facts, config: Config(accounts: accounts, accessControls: controls))
    }

    static func glob(_ p: String) -> Glob { try! Glob(p) }
    static func signature(_ ids: [String]?, _ count: SignatureRequirement.Count = .number(1)) -> Filter {
        .signature(SignatureRequirement(accounts: ids.map { .listed($0) } ?? .any, count: count))
    }

    struct DefaultCase: CustomTestStringConvertible, Sendable {
        var name: String
        var facts: CommitFacts
        var accounts: [Account]
        var action: AccessAction
        var source: AccessControlSource
        var testDescription: String { name }
        init(
            _ name: String, _ facts: CommitFacts, accounts: [Account] = AccessControlEvaluatorTests.accounts,
            _ action: AccessAction, _ source: AccessControlSource
        ) {
            self.name = name
            self.facts = facts
            self.accounts = accounts
            self.action = action
            self.source = source
        }
    }

    static let defaultCases: [DefaultCase] = [
        DefaultCase("signed change on main", facts(signed: ["alice"]), .allow, .defaults(index: 2)),
        DefaultCase("unsigned change on main", facts(), .deny, .defaults(index: 3)),
        DefaultCase("signed non-fast-forward on main", facts(nff: true, signed: ["alice"]), .deny, .defaults(index: 0)),
        DefaultCase("signed comment on main", facts(.comment, signed: ["alice"]), .deny, .defaults(index: 3)),
        DefaultCase("signed credential on main", facts(.credential, signed: ["alice", "bob"]), .deny, .defaults(index: 3)),
        DefaultCase(
            "signed comment on a thread", facts(.comment, branch: "feature/x", signed: ["bob"]), .allow, .defaults(index: 1)),
        DefaultCase(
            "signed credential on a thread", facts(.credential, branch: "t", signed: ["carol"]), .allow, .defaults(index: 1)),
        DefaultCase("signed change on a thread", facts(branch: "t", signed: ["carol"]), .allow, .defaults(index: 1)),
        DefaultCase("unsigned change on a thread", facts(branch: "t"), .deny, .defaults(index: 3)),
        DefaultCase(
            "signed non-fast-forward on a thread", facts(branch: "t", nff: true, signed: ["alice"]), .allow, .defaults(index: 1)),
        DefaultCase(
            "'mainline' is a thread", facts(.comment, branch: "mainline", signed: ["alice"]), .allow, .defaults(index: 1)),
        DefaultCase("'main/x' is a thread", facts(.comment, branch: "main/x", signed: ["alice"]), .allow, .defaults(index: 1)),
        DefaultCase("signed by an unconfigured account", facts(signed: ["mallory"]), .deny, .defaults(index: 3)),
        DefaultCase("no accounts configured", facts(signed: ["alice"]), accounts: [], .deny, .defaults(index: 3)),
        DefaultCase("no accounts, thread", facts(branch: "t", signed: ["alice"]), accounts: [], .deny, .defaults(index: 3)),
        DefaultCase("unsigned non-fast-forward on main", facts(nff: true), .deny, .defaults(index: 0)),
    ]

    @Test(arguments: defaultCases)
    func defaults(_ c: DefaultCase) {
        let d = Self.evaluate(c.facts, accounts: c.accounts)
        #expect(d.action == c.action)
        #expect(d.source == c.source)
        #expect(d.isAllowed == (c.action == .allow))
    }

    @Test func defaultEntriesAreTheFormatOnes() throws {
        let main = try Glob("main")
        #expect(
            DefaultAccessControls.entries == [
                AccessControl(action: .deny, filters: [.branch(main), .commitAttributes(nonFastForward: true)]),
                AccessControl(action: .allow, filters: [.not(.branch(main)), Self.signature(nil)]),
                AccessControl(action: .allow, filters: [.branch(main), .payloadType(.change), Self.signature(nil)]),
                AccessControl(action: .deny, filters: []),
            ])
    }

    @Test func unsignedChangeOnMainReportsTheClosestAllowRule() {
        let d = Self.evaluate(Self.facts())
        #expect(d.signatureOutcomes == [])
        #expect(
            d.unmetSignatures == [
                SignatureOutcome(
                    source: .defaults(index: 2), required: 1, countingAccounts: ["alice", "bob", "carol"],
                    anyAccount: true, signedAccounts: [])
            ])
        let thread = Self.evaluate(Self.facts(branch: "t", signed: ["mallory"]))
        #expect(thread.unmetSignatures.map(\.source) == [.defaults(index: 1)])
        // a comment on main: no allow rule other than by signature fits, so nothing is "unmet"
        #expect(Self.evaluate(Self.facts(.comment)).unmetSignatures == [])
    }

    @Test func decidingEntryCarriesItsSignatureOutcomes() {
        let d = Self.evaluate(Self.facts(signed: ["carol", "alice"]))
        #expect(
            d.signatureOutcomes == [
                SignatureOutcome(
                    source: .defaults(index: 2), required: 1, countingAccounts: ["alice", "bob", "carol"],
                    anyAccount: true, signedAccounts: ["alice", "carol"])
            ])
    }

    @Test func firstMatchingEntryDecides() {
        let allowAll = AccessControl(action: .allow, filters: [])
        let denyComments = AccessControl(action: .deny, filters: [.payloadType(.comment)])
        let allowMain = AccessControl(action: .allow, filters: [.branch(Self.glob("main"))])
        let denyMain = AccessControl(action: .deny, filters: [.branch(Self.glob("main"))])

        // An entry with no filters always matches: even an unsigned non-fast-forward on main.
        let d = Self.evaluate(Self.facts(nff: true), [allowAll])
        #expect(d.action == .allow && d.source == .config(index: 0))
        #expect(
            Self.evaluate(Self.facts(.comment, branch: "t", signed: ["alice"]), [denyComments, allowAll]).source
                == .config(index: 0))
        #expect(Self.evaluate(Self.facts(.comment, branch: "t", signed: ["alice"]), [denyComments, allowAll]).action == .deny)
        #expect(Self.evaluate(Self.facts(), [allowMain, denyMain]).action == .allow)
        #expect(Self.evaluate(Self.facts(), [denyMain, allowMain]).action == .deny)
        // no config entry matches: the defaults decide
        let fallen = Self.evaluate(Self.facts(branch: "t", signed: ["bob"]), [denyMain])
        #expect(fallen.action == .allow && fallen.source == .defaults(index: 1))
    }

    @Test func notFilesChangedPayloadTypeAndCommitAttributes() {
        let denyThreads = AccessControl(action: .deny, filters: [.not(.branch(Self.glob("main")))])
        #expect(Self.evaluate(Self.facts(branch: "t", signed: ["alice"]), [denyThreads]).action == .deny)
        #expect(Self.evaluate(Self.facts(signed: ["alice"]), [denyThreads]).source == .defaults(index: 2))

        let denyConfig = AccessControl(action: .deny, filters: [.filesChanged(Self.glob(".dehub/**"))])
        #expect(Self.evaluate(Self.facts(paths: ["a", ".dehub/config.yml"], signed: ["alice"]), [denyConfig]).action == .deny)
        #expect(Self.evaluate(Self.facts(paths: ["a", "b/.dehub/x"], signed: ["alice"]), [denyConfig]).action == .allow)
        #expect(Self.evaluate(Self.facts(paths: [], signed: ["alice"]), [denyConfig]).action == .allow)
        let denyUnlessOnlySrc = AccessControl(action: .deny, filters: [.not(.filesChanged(Self.glob("src/**")))])
        #expect(Self.evaluate(Self.facts(paths: [], signed: ["alice"]), [denyUnlessOnlySrc]).action == .deny)

        let allowNFF = AccessControl(
            action: .allow, filters: [.commitAttributes(nonFastForward: true), Self.signature(["alice"])])
        #expect(Self.evaluate(Self.facts(nff: true, signed: ["alice"]), [allowNFF]).source == .config(index: 0))
        #expect(Self.evaluate(Self.facts(nff: true, signed: ["bob"]), [allowNFF]).source == .defaults(index: 0))
        let ffOnly = AccessControl(action: .allow, filters: [.commitAttributes(nonFastForward: false)])
        #expect(Self.evaluate(Self.facts(nff: false), [ffOnly]).action == .allow)
        #expect(Self.evaluate(Self.facts(nff: true), [ffOnly]).action == .deny)

        let denyUnsignedByAlice = AccessControl(action: .deny, filters: [.not(Self.signature(["alice"]))])
        #expect(Self.evaluate(Self.facts(signed: ["bob"]), [denyUnsignedByAlice]).source == .config(index: 0))
        #expect(Self.evaluate(Self.facts(signed: ["alice"]), [denyUnsignedByAlice]).source == .defaults(index: 2))
        let onlyComments = AccessControl(action: .allow, filters: [.payloadType(.comment)])
        #expect(Self.evaluate(Self.facts(.comment), [onlyComments]).action == .allow)
        #expect(Self.evaluate(Self.facts(.credential, branch: "t"), [onlyComments]).action == .deny)
    }

    static let countCases: [(SignatureRequirement.Count, Set<String>, Bool)] = [
        (.percent(66), ["alice"], false),
        (.percent(66), ["alice", "bob"], true),
        (.percent(67), ["alice", "bob"], false),
        (.percent(67), ["alice", "bob", "carol"], true),
        (.percent(100), ["alice", "bob"], false),
        (.percent(1), ["carol"], true),
        (.percent(1), [], false),
        (.number(2), ["alice"], false),
        (.number(2), ["alice", "mallory"], false),
        (.number(2), ["alice", "mallory", "dave"], false),
        (.number(2), ["carol", "bob"], true),
        (.number(3), ["carol", "bob", "alice"], true),
    ]

    @Test(arguments: countCases)
    func countsAndPercentages(_ count: SignatureRequirement.Count, _ signed: Set<String>, _ allowed: Bool) {
        let rule = AccessControl(action: .allow, filters: [Self.signature(["alice", "bob", "carol"], count)])
        let d = Self.evaluate(Self.facts(.comment, signed: signed), [rule])
        #expect(d.isAllowed == allowed)
        #expect(d.source == (allowed ? .config(index: 0) : .defaults(index: 3)))
    }

    /// verifiedAccounts is a set: one account's several credentials are one account.
    @Test func duplicateCredentialsOfOneAccountCountOnce() {
        var facts = Self.facts()
        facts.verifiedAccounts.insert("alice")
        facts.verifiedAccounts.insert("alice")
        let rule = AccessControl(action: .allow, filters: [Self.signature(["alice", "bob"], .number(2))])
        let d = Self.evaluate(facts, [rule, AccessControl(action: .deny, filters: [])])
        #expect(d.action == .deny)
        #expect(d.unmetSignatures.first?.signedAccounts == ["alice"])
    }

    @Test func signedAccountsFollowTheRuleOrder() {
        let rule = AccessControl(action: .allow, filters: [Self.signature(["carol", "alice", "bob"], .number(2))])
        let d = Self.evaluate(Self.facts(signed: ["alice", "carol", "mallory"]), [rule])
        #expect(d.signatureOutcomes.first?.signedAccounts == ["carol", "alice"])
        #expect(d.signatureOutcomes.first?.countingAccounts == ["carol", "alice", "bob"])
        #expect(d.signatureOutcomes.first?.anyAccount == false)
    }

    @Test func unmetSignaturesCollectEveryNearMissInOrder() {
        let controls = [
            AccessControl(action: .allow, filters: [.branch(Self.glob("main")), Self.signature(["alice", "bob"], .number(2))]),
            AccessControl(action: .allow, filters: [.branch(Self.glob("release/*")), Self.signature(["carol"])]),  // branch fails
            AccessControl(action: .deny, filters: [.payloadType(.credential), Self.signature(["bob"])]),  // deny: not a way in
            AccessControl(action: .allow, filters: [Self.signature(["carol"]), .payloadType(.change)]),
            AccessControl(action: .deny, filters: [.branch(Self.glob("main"))]),
        ]
        let d = Self.evaluate(Self.facts(signed: ["alice"]), controls)
        #expect(d.action == .deny)
        #expect(d.source == .config(index: 4))
        #expect(
            d.unmetSignatures == [
                SignatureOutcome(
                    source: .config(index: 0), required: 2, countingAccounts: ["alice", "bob"], anyAccount: false,
                    signedAccounts: ["alice"]),
                SignatureOutcome(
                    source: .config(index: 3), required: 1, countingAccounts: ["carol"], anyAccount: false, signedAccounts: []),
            ])
    }

    /// Zero signatures never meet a requirement, even one whose count works out to 0 (fail closed).
    @Test func zeroSignaturesNeverMeetARequirement() {
        #expect(
            SignatureOutcome(source: .config(index: 0), required: 0, countingAccounts: [], anyAccount: false, signedAccounts: [])
                .isMet == false)
        let rule = AccessControl(
            action: .allow, filters: [.signature(SignatureRequirement(accounts: .listed([]), count: .percent(50)))])
        #expect(Self.evaluate(Self.facts(), [rule]).action == .deny)
        let zero = AccessControl(action: .allow, filters: [Self.signature(["alice"], .number(0))])
        #expect(Self.evaluate(Self.facts(), [zero]).action == .deny)
        #expect(Self.evaluate(Self.facts(signed: ["alice"]), [zero]).source == .config(index: 0))
    }

    @Test func sourceDescriptions() {
        #expect(AccessControlSource.config(index: 2).description == "access_controls[2] of .dehub/config.yml")
        #expect(AccessControlSource.defaults(index: 0).description == "default access control #1")
    }
}

@Suite struct AccessDenialTextTests {
    @Test func unsignedChangeOnMain() {
        let facts = AccessControlEvaluatorTests.facts()
        let d = AccessControlEvaluatorTests.evaluate(facts)
        #expect(
            AccessDenialText.reason(d, facts: facts)
                == "default access control #4 denies this change commit on branch 'main'; default access control #3 needs credentials from 1 of any account; verified: none"
        )
        #expect(
            AccessDenialText.hint(d, facts: facts)
                == "collect credentials on a thread branch (`dehub commit --as ACCOUNT credential --start REV`) and run `dehub combine`"
        )
    }

    @Test func nonFastForwardOnMain() {
        let facts = AccessControlEvaluatorTests.facts(nff: true, signed: ["alice"])
        let d = AccessControlEvaluatorTests.evaluate(facts)
        #expect(
            AccessDenialText.reason(d, facts: facts)
                == "default access control #1 denies this change commit on branch 'main' (the update is not a fast-forward)")
        #expect(
            AccessDenialText.hint(d, facts: facts)
                == "main only moves forward: rebase your work onto the current main and push again")
    }

    @Test func commentOnMain() {
        let facts = AccessControlEvaluatorTests.facts(.comment, signed: ["alice"])
        let d = AccessControlEvaluatorTests.evaluate(facts)
        #expect(
            AccessDenialText.reason(d, facts: facts) == "default access control #4 denies this comment commit on branch 'main'")
        #expect(
            AccessDenialText.hint(d, facts: facts)
                == "main takes change commits only: keep comments and credentials on thread branches and `dehub combine` them")
    }

    @Test func configRuleWithListedAccounts() {
        let facts = AccessControlEvaluatorTests.facts(branch: "t", signed: ["bob"])
        let d = AccessControlEvaluatorTests.evaluate(
            facts,
            [
                AccessControl(action: .allow, filters: [AccessControlEvaluatorTests.signature(["alice", "bob"], .number(2))]),
                AccessControl(action: .deny, filters: []),
            ])
        #expect(
            AccessDenialText.reason(d, facts: facts)
                == "access_controls[1] of .dehub/config.yml denies this change commit on branch 't'; access_controls[0] of .dehub/config.yml needs credentials from 2 of [alice, bob]; verified: bob; missing: alice"
        )
        let plainDeny = AccessControlEvaluatorTests.evaluate(facts, [AccessControl(action: .deny, filters: [])])
        #expect(AccessDenialText.hint(plainDeny, facts: facts) == "see the access controls in .dehub/config.yml")
    }
}
