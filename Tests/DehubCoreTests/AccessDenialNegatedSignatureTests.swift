import Testing

@testable import DehubCore

/// Format §8.4: a refusal names what the rules need, also when the signature rule sits under `not` (the common
/// "deny changes to main unless 2 of alice, bob, carol signed"), at any depth.
@Suite struct AccessDenialNegatedSignatureTests {
    static let accounts = ["alice", "bob", "carol"].map { Account(id: $0, signifiers: []) }
    static let main = try! Glob("main")

    static func facts(signed: Set<String>, nff: Bool = false) -> CommitFacts {
        CommitFacts(payloadType: .change, branch: "main", changedPaths: ["a.txt"], nonFastForward: nff, verifiedAccounts: signed)
    }

    static func denyUnless(_ count: SignatureRequirement.Count, wrap: (Filter) -> Filter = { $0 }) -> Config {
        let rule = Filter.not(.signature(SignatureRequirement(accounts: .listed(["alice", "bob", "carol"]), count: count)))
        return Config(accounts: accounts, accessControls: [AccessControl(action: .deny, filters: [.branch(main), wrap(rule)])])
    }

    static func reasonText(_ config: Config, _ facts: CommitFacts, credentials: [CredentialResult] = []) -> String {
        AccessDenialText.reason(AccessControlEvaluator.evaluate(facts, config: config), facts: facts, credentials: credentials)
    }

    @Test func aLoneSignerIsToldTheRequirementOfANegatedSignatureFilter() {
        let facts = Self.facts(signed: ["alice"])
        let decision = AccessControlEvaluator.evaluate(facts, config: Self.denyUnless(.number(2)))
        #expect(decision.action == .deny && decision.source == .config(index: 0))
        #expect(
            AccessDenialText.reason(decision, facts: facts) == "access_controls[0] of .dehub/config.yml denies this change "
                + "commit on branch 'main' unless it carries credentials from 2 of [alice, bob, carol]; verified: alice; missing: bob, carol"
        )
        #expect(AccessDenialText.hint(decision, facts: facts).contains("dehub combine"))
    }

    @Test func aPercentageIsShownWithWhatItComesTo() {
        #expect(
            Self.reasonText(Self.denyUnless(.percent(66)), Self.facts(signed: [])).hasSuffix(
                "unless it carries credentials from 2 (66%) of [alice, bob, carol]; verified: none; missing: alice, bob, carol"))
    }

    @Test func anyNestingOfNotIsFollowed() {
        // not(not(not(signature))) is a negated signature filter, as not(signature) is.
        let config = Self.denyUnless(.number(2), wrap: { .not(.not($0)) })
        #expect(
            Self.reasonText(config, Self.facts(signed: ["bob"])).hasSuffix(
                "unless it carries credentials from 2 of [alice, bob, carol]; verified: bob; missing: alice, carol"))
        let outcomes = AccessControlEvaluator.evaluate(Self.facts(signed: ["bob"]), config: config).signatureOutcomes
        #expect(outcomes.map(\.negated) == [true])
        // not(not(signature)) is a plain one: with two signers the deny entry matches and says nothing of "unless".
        let plain = Self.denyUnless(.number(2), wrap: { .not($0) })
        let text = Self.reasonText(plain, Self.facts(signed: ["alice", "bob"]))
        #expect(text == "access_controls[0] of .dehub/config.yml denies this change commit on branch 'main'")
    }

    @Test func failedCredentialsAreNamedWithTheirReasons() {
        let credentials = [
            CredentialResult(index: 0, account: "alice", kind: "ssh", outcome: .verified),
            CredentialResult(index: 1, account: "bob", kind: "ssh", outcome: .failed("SSHSIG does not verify")),
        ]
        #expect(
            Self.reasonText(Self.denyUnless(.number(2)), Self.facts(signed: ["alice"]), credentials: credentials).hasSuffix(
                "verified: alice; missing: bob, carol; did not verify: credentials[1] (ssh, account bob): SSHSIG does not verify")
        )
    }

    @Test func enoughSignersPassTheDenyAndTheDefaultsDecide() {
        let decision = AccessControlEvaluator.evaluate(
            Self.facts(signed: ["alice", "carol"]), config: Self.denyUnless(.number(2)))
        #expect(decision.isAllowed && decision.source == .defaults(index: 2))
    }

    @Test func anAllowRulesUnmetSignatureNamesTheMissingAccounts() {
        let config = Config(
            accounts: Self.accounts,
            accessControls: [
                AccessControl(
                    action: .allow,
                    filters: [
                        .branch(Self.main), .signature(.init(accounts: .listed(["alice", "bob", "carol"]), count: .number(2))),
                    ]),
                AccessControl(action: .deny, filters: [.branch(Self.main)]),
            ])
        #expect(
            Self.reasonText(config, Self.facts(signed: ["carol"]))
                == "access_controls[1] of .dehub/config.yml denies this change "
                + "commit on branch 'main'; access_controls[0] of .dehub/config.yml needs credentials from 2 of [alice, bob, carol]; "
                + "verified: carol; missing: alice, bob")
    }
}
