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
        if containsWithoutGit(key) { return true }
        return await isMember(key)
    }

    /// Whether the files alone know the key (an admin's, a token's, a reader's): no `git show`, no waiting.
    public func containsWithoutGit(_ key: SSHKeyIdentity) -> Bool {
        if gate.data.admins().contains(key) { return true }
        if tokens.entries().contains(where: { $0.key == key }) { return true }
        let store = gate.store
        return store.list().contains { store.readers(of: $0).contains(key) }
    }

    /// Whether the key is a member's of any repository (`ssh_public_key` signifiers on `main`).
    public func isMember(_ key: SSHKeyIdentity) async -> Bool {
        let store = gate.store
        for name in store.list() where await gate.members.keys(repoPath: store.path(of: name)).contains(key) { return true }
        return false
    }
}
