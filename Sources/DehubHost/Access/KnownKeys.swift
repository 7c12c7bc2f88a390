/// Which keys the host knows, for the embedded SSH server's login: a key is known when it is an admin's,
/// a token's (tokens are bound to keys), or a reader's or member's of any repository (readers files, and
/// `ssh_public_key` signifiers in `.dehub/config.yml` on `main`). Any other key is refused during
/// authentication, so the client offers its next one; a stranger logs in as `anonymous_ssh_user` instead.
///
/// Knowing a key grants nothing by itself: what it may do is still decided per repository by `AccessPolicy`.
/// The check costs file reads per repository (and a `git show` per repository whose `main` changed since
/// the last check), and stops at the first place the key is found.
public struct KnownKeys: Sendable {
    let gate: AccessGate
    let tokens: TokenStore

    public init(gate: AccessGate, tokens: TokenStore) {
        self.gate = gate
        self.tokens = tokens
    }

    public func contains(_ key: SSHKeyIdentity) async -> Bool {
        if gate.data.admins().contains(key) { return true }
        if tokens.entries().contains(where: { $0.key == key }) { return true }
        let store = gate.store
        let names = store.list()
        for name in names where store.readers(of: name).contains(key) { return true }
        for name in names where await gate.members.keys(repoPath: store.path(of: name)).contains(key) { return true }
        return false
    }
}
