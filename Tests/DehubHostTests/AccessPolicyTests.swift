import Testing

@testable import DehubHost

@Suite("Who may read, push and administer")
struct AccessPolicyTests {
    static let anonymous = RequesterFacts.anonymous
    static let stranger = RequesterFacts(isAuthenticated: true)
    static let admin = RequesterFacts(isAuthenticated: true, isAdmin: true)
    static let reader = RequesterFacts(isAuthenticated: true, isReader: true)
    static let member = RequesterFacts(isAuthenticated: true, isMember: true)

    static let publicRepo = RepoFacts(exists: true, isPrivate: false, mainExists: true)
    static let privateRepo = RepoFacts(exists: true, isPrivate: true, mainExists: true)
    static let emptyRepo = RepoFacts(exists: true, isPrivate: false, mainExists: false)
    static let missing = RepoFacts.missing

    @Test(
        "reads",
        arguments: [
            (anonymous, publicRepo, HostAccessDecision.allow),
            (stranger, publicRepo, .allow),
            (anonymous, privateRepo, .deny(.authenticationRequired)),
            (stranger, privateRepo, .deny(.notFound)),
            (admin, privateRepo, .allow),
            (reader, privateRepo, .allow),
            (member, privateRepo, .allow),
            (anonymous, missing, .deny(.authenticationRequired)),
            (stranger, missing, .deny(.notFound)),
            (admin, missing, .deny(.notFound)),
            (anonymous, emptyRepo, .allow),
        ])
    func read(requester: RequesterFacts, repo: RepoFacts, expected: HostAccessDecision) {
        #expect(AccessPolicy.decideRead(requester, repo) == expected)
    }

    @Test(
        "pushes",
        arguments: [
            // open policy: the hook is the gate
            (anonymous, publicRepo, Transport.ssh, PushPolicy.open, HostAccessDecision.allow),
            (anonymous, publicRepo, .http, .open, .allow),
            (stranger, publicRepo, .ssh, .open, .allow),
            // one must see a repo to push to it
            (anonymous, privateRepo, .http, .open, .deny(.authenticationRequired)),
            (stranger, privateRepo, .ssh, .open, .deny(.notFound)),
            (reader, privateRepo, .ssh, .open, .allow),
            (stranger, missing, .ssh, .open, .deny(.notFound)),
            (admin, missing, .ssh, .open, .deny(.notFound)),
            // the root of trust: the first push only from an admin over SSH
            (admin, emptyRepo, .ssh, .open, .allow),
            (admin, emptyRepo, .http, .open, .deny(.firstPushNeedsAdminOverSSH)),
            (stranger, emptyRepo, .ssh, .open, .deny(.firstPushNeedsAdminOverSSH)),
            (member, emptyRepo, .ssh, .members, .deny(.firstPushNeedsAdminOverSSH)),
            (anonymous, emptyRepo, .http, .open, .deny(.firstPushNeedsAdminOverSSH)),
            (anonymous, emptyRepo, .ssh, .open, .deny(.firstPushNeedsAdminOverSSH)),
            // members policy
            (admin, publicRepo, .http, .members, .allow),
            (member, publicRepo, .ssh, .members, .allow),
            (member, publicRepo, .http, .members, .allow),
            (stranger, publicRepo, .ssh, .members, .deny(.pushNeedsMembership)),
            (reader, privateRepo, .ssh, .members, .deny(.pushNeedsMembership)),
            (anonymous, publicRepo, .http, .members, .deny(.authenticationRequired)),
            (anonymous, publicRepo, .ssh, .members, .deny(.authenticationRequired)),
        ])
    func push(requester: RequesterFacts, repo: RepoFacts, transport: Transport, policy: PushPolicy, expected: HostAccessDecision)
    {
        #expect(AccessPolicy.decidePush(requester, repo, transport: transport, policy: policy) == expected)
    }

    @Test(
        "administration",
        arguments: [
            (admin, HostAccessDecision.allow), (stranger, .deny(.adminOnly)), (member, .deny(.adminOnly)),
            (reader, .deny(.adminOnly)), (anonymous, .deny(.adminOnly)),
        ])
    func administration(requester: RequesterFacts, expected: HostAccessDecision) {
        #expect(AccessPolicy.decideAdministration(requester) == expected)
    }

    @Test(
        "denial messages",
        arguments: [
            (AccessDenial.notFound, "repository not found"),
            (.authenticationRequired, "repository not found"),
            (
                .firstPushNeedsAdminOverSSH,
                "this repository has no main branch yet: the first push (the root of trust) must come from an admin over SSH"
            ),
            (.adminOnly, "permission denied: this command needs an admin key"),
        ])
    func messages(denial: AccessDenial, message: String) {
        #expect(denial.message == message)
    }
}
