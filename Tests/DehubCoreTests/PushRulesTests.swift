import Testing

@testable import DehubCore

/// Format §10 as a pure function (`PushRules`) over the fake repository: every rule the hook applies before it
/// verifies a commit, table by table. The hook's end-to-end suites (`Hook*Tests`) run the same rules through git.
@Suite struct PushRulesTests {
    /// main: root ── c1; thread `idea`: c1 ── t1 ── t2; an unrelated root `other`.
    final class World {
        let h = VerifierHarness()
        let root: ObjectID, c1: ObjectID, t1: ObjectID, t2: ObjectID, foreign: ObjectID

        init() {
            root = h.root()
            c1 = h.change(parent: root, tree: VerifierHarness.edit(VerifierHarness.rootTree, ["a.txt": "a\n"]), signers: [.alice])
            let c1Tree = h.repo.treeContents(of: c1)
            t1 = h.change(parent: c1, tree: VerifierHarness.edit(c1Tree, ["t.txt": "1\n"]), signers: [.carol])
            t2 = h.change(parent: t1, tree: VerifierHarness.edit(c1Tree, ["t.txt": "2\n"]), signers: [.carol])
            foreign = h.change(parent: nil, tree: VerifierHarness.rootTree, description: "Another root", signers: [.alice, .bob])
            h.repo.refs = ["refs/heads/main": c1, "refs/heads/idea": t2]
        }

        func rules(_ roles: PusherRolePolicy = .anyone, maxCommits: Int = 100) -> PushRules<FakeRepository> {
            PushRules(repo: h.repo, signatures: FakeSignatures(), roles: roles, maxCommits: maxCommits)
        }

        func plan(_ updates: [RefUpdate], roles: PusherRolePolicy = .anyone, mainBefore: ObjectID?? = nil) throws
            -> PushRules<FakeRepository>.Plan
        {
            try rules(roles).plan(updates, mainBefore: mainBefore ?? c1)
        }
    }

    static let zero = ObjectID.zero
    static func update(_ old: ObjectID, _ new: ObjectID, _ ref: String) -> RefUpdate { RefUpdate(old: old, new: new, ref: ref) }

    // MARK: refs that may not move

    /// (Tags have rules of their own, format §13: `TagPushRulesTests`.)
    @Test(arguments: ["refs/notes/commits", "refs/pull/1/head", "refs/heads", "refs/tagsx/v1"])
    func onlyBranchesMove(ref: String) throws {
        let w = World()
        let plan = try w.plan([Self.update(Self.zero, w.c1, ref)])
        #expect(plan.refusals.map(\.reason) == ["only branches (refs/heads/*) may be pushed; \(ref) is refused"])
        #expect(plan.commits.isEmpty)
    }

    @Test(arguments: [PusherRolePolicy.anyone, .behindHost(role: .admin), .behindHost(role: .member), .behindHost(role: nil)])
    func mainIsNeverDeleted(roles: PusherRolePolicy) throws {
        let w = World()
        let plan = try w.plan([Self.update(w.c1, Self.zero, "refs/heads/main")], roles: roles)
        #expect(plan.refusals.map(\.reason) == ["deleting main is never allowed"])
    }

    /// Who may delete a thread: anyone on a plain server; behind a host, admins and members only (unknown: refused).
    @Test(arguments: [
        (PusherRolePolicy.anyone, true), (.behindHost(role: .admin), true), (.behindHost(role: .member), true),
        (.behindHost(role: .other), false), (.behindHost(role: nil), false),
    ])
    func threadDeletion(roles: PusherRolePolicy, allowed: Bool) throws {
        let w = World()
        let plan = try w.plan([Self.update(w.t2, Self.zero, "refs/heads/idea")], roles: roles)
        #expect(plan.refusals.isEmpty == allowed)
        #expect(plan.commits.isEmpty, "a deletion brings no commit")
        if !allowed {
            #expect(plan.refusals.first?.reason.contains("only admins and the repository's members may delete") == true)
        }
    }

    // MARK: the root of trust

    /// Creating main: anyone on a plain server (the commits then decide); behind a host, admins only.
    @Test(arguments: [
        (PusherRolePolicy.anyone, true), (.behindHost(role: .admin), true), (.behindHost(role: .member), false),
        (.behindHost(role: .other), false), (.behindHost(role: nil), false),
    ])
    func creatingMain(roles: PusherRolePolicy, allowed: Bool) throws {
        let w = World()
        let plan = try w.plan([Self.update(Self.zero, w.c1, "refs/heads/main")], roles: roles, mainBefore: .some(nil))
        if allowed {
            #expect(plan.refusals.isEmpty)
            #expect(plan.commits.map(\.commit) == [w.root, w.c1], "a new main brings its whole history, oldest first")
        } else {
            #expect(plan.refusals.first?.reason.contains("only an admin may create main") == true)
        }
    }

    @Test func aThreadBeforeMainIsRefused() throws {
        let w = World()
        let plan = try w.plan([Self.update(Self.zero, w.t1, "refs/heads/idea2")], mainBefore: .some(nil))
        #expect(plan.refusals.first?.reason == "main does not exist yet, so 'idea2' cannot be checked against it")
    }

    @Test func mainAndAThreadCreatedTogetherShareTheNewRoot() throws {
        let w = World()
        let plan = try w.plan(
            [Self.update(Self.zero, w.c1, "refs/heads/main"), Self.update(Self.zero, w.t2, "refs/heads/idea2")],
            mainBefore: .some(nil))
        #expect(plan.refusals.isEmpty)
        #expect(plan.commits.map(\.commit) == [w.root, w.c1, w.t1, w.t2])
    }

    @Test(arguments: ["main", "idea2"])
    func anotherRootIsRefused(branch: String) throws {
        let w = World()
        let old = branch == "main" ? w.c1 : Self.zero
        let plan = try w.plan([Self.update(old, w.foreign, "refs/heads/\(branch)")])
        let expected =
            branch == "main"
            ? "the new main does not descend from main's root commit (the project's root of trust)"
            : "'idea2' does not descend from the root commit of main"
        #expect(plan.refusals.map(\.reason) == [expected])
    }

    @Test func anOldValueThisRepositoryLacksIsRefused() throws {
        let w = World()
        let missing = ObjectID(hex: String(repeating: "ab", count: 20))!
        let plan = try w.plan([Self.update(missing, w.t2, "refs/heads/idea")])
        #expect(plan.refusals.first?.reason.contains("which this repository does not have") == true)
        #expect(plan.refusals.first?.hint == "fetch first (git fetch), rebase onto the remote branch, then push")
    }

    // MARK: non-fast-forward updates

    /// Rewinding a thread: behind a host only admins and members; then (and on a plain server) the config at the
    /// thread's tip decides, and under the defaults a thread takes any commit signed by an account.
    @Test(arguments: [
        (PusherRolePolicy.anyone, true), (.behindHost(role: .member), true), (.behindHost(role: .admin), true),
        (.behindHost(role: .other), false), (.behindHost(role: nil), false),
    ])
    func threadRewind(roles: PusherRolePolicy, allowed: Bool) throws {
        let w = World()
        let plan = try w.plan([Self.update(w.t2, w.t1, "refs/heads/idea")], roles: roles)
        #expect(plan.refusals.isEmpty == allowed, "\(plan.refusals)")
        if allowed {
            #expect(plan.commits == [.init(commit: w.t1, branch: "idea", nonFastForward: true)], "the new tip is still judged")
        } else {
            #expect(plan.refusals.first?.reason.contains("only admins and the repository's members may rewind") == true)
        }
    }

    @Test func rewindingMainNeedsAnExplicitNonFastForwardRule() throws {
        let w = World()
        let plan = try w.plan([Self.update(w.c1, w.root, "refs/heads/main")], roles: .behindHost(role: .admin))
        #expect(plan.refusals.first?.reason.contains("is not a fast-forward, and no entry of the current config allows") == true)
    }

    @Test func mainMovedSidewaysToAThreadTipIsJudgedAsNonFastForward() throws {
        let w = World()
        let side = w.h.change(
            parent: w.root, tree: VerifierHarness.edit(VerifierHarness.rootTree, ["s.txt": "s\n"]), signers: [.alice])
        let plan = try w.plan([Self.update(w.c1, side, "refs/heads/main")])
        #expect(plan.refusals.count == 1)
    }

    // MARK: the commits an update brings

    @Test func aFastForwardBringsOldToNew() throws {
        let w = World()
        let t3 = w.h.change(
            parent: w.t2, tree: VerifierHarness.edit(w.h.repo.treeContents(of: w.t2), ["t.txt": "3\n"]), signers: [.carol])
        let plan = try w.plan([Self.update(w.t1, t3, "refs/heads/idea")])
        #expect(
            plan.commits == [
                .init(commit: w.t2, branch: "idea", nonFastForward: false),
                .init(commit: t3, branch: "idea", nonFastForward: false),
            ])
    }

    @Test func aNewThreadBringsWhatMainLacks() throws {
        let w = World()
        let plan = try w.plan([Self.update(Self.zero, w.t2, "refs/heads/idea2")])
        #expect(plan.commits.map(\.commit) == [w.t1, w.t2])
    }

    /// Fast-forwarding main onto commits a thread already holds judges them again, under main's rules
    /// (no laundering through a thread).
    @Test func mainJudgesAThreadsCommitsAgain() throws {
        let w = World()
        let plan = try w.plan([Self.update(w.c1, w.t2, "refs/heads/main")])
        #expect(
            plan.commits == [
                .init(commit: w.t1, branch: "main", nonFastForward: false),
                .init(commit: w.t2, branch: "main", nonFastForward: false),
            ])
    }

    @Test func aNewBranchAtAnExistingCommitJudgesItsTip() throws {
        let w = World()
        let plan = try w.plan([Self.update(Self.zero, w.c1, "refs/heads/copy")])
        #expect(plan.commits == [.init(commit: w.c1, branch: "copy", nonFastForward: false)])
    }

    // MARK: fail fast, bounded

    @Test func theFirstRefusedUpdateEndsThePlan() throws {
        let w = World()
        let plan = try w.plan([
            Self.update(Self.zero, w.t2, "refs/heads/ok"), Self.update(Self.zero, w.c1, "refs/tags/v1"),
            Self.update(Self.zero, w.t2, "refs/heads/later"), Self.update(w.t2, Self.zero, "refs/heads/idea"),
        ])
        #expect(plan.refusals.map(\.ref) == ["refs/tags/v1"])
        #expect(plan.uncheckedUpdates == 2)
        #expect(plan.commits.isEmpty, "nothing is verified once an update is refused")
    }

    @Test func tooManyCommitsIsRefusedBeforeAnyIsVerified() throws {
        let w = World()
        #expect(throws: PushRules<FakeRepository>.TooManyCommits(limit: 1)) {
            try w.rules(maxCommits: 1).plan([Self.update(Self.zero, w.t2, "refs/heads/idea2")], mainBefore: w.c1)
        }
    }

    // MARK: the real current value

    @Test func staleOldValues() throws {
        let w = World()
        let rules = w.rules()
        #expect(try rules.staleOldValue(Self.update(w.c1, w.t2, "refs/heads/main")) == nil)
        #expect(try rules.staleOldValue(Self.update(Self.zero, w.t2, "refs/heads/new")) == nil)
        let claimsNew = try rules.staleOldValue(Self.update(Self.zero, w.t2, "refs/heads/main"))
        #expect(
            claimsNew?.reason
                == "the push says 'refs/heads/main' is new, but the repository has it at \(w.c1.short): the update is judged from the real current value only"
        )
        let lies = try rules.staleOldValue(Self.update(w.root, w.t2, "refs/heads/main"))
        #expect(
            lies?.reason.hasPrefix("the push says 'refs/heads/main' is at \(w.root.short), but the repository has it at") == true)
        let gone = try rules.staleOldValue(Self.update(w.t1, w.t2, "refs/heads/nothing"))
        #expect(gone?.reason.contains("the repository has no such ref") == true)
    }

    @Test func rolesFromTheEnvironment() {
        #expect(PusherRolePolicy.from(environmentValue: nil) == .anyone)
        #expect(PusherRolePolicy.from(environmentValue: "admin") == .behindHost(role: .admin))
        #expect(PusherRolePolicy.from(environmentValue: "") == .behindHost(role: nil))
        #expect(PusherRolePolicy.from(environmentValue: "Admin").isStranger)
        #expect(PusherRole.environmentVariable == "DEHUB_PUSHER_ROLE")
    }
}
