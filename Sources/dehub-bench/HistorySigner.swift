import DehubCore
import DehubGit

/// What a generated history needs from its signing scheme: the `.dehub/` files of the root commit, a dehub
/// credential over each fingerprint, and the armoured git signature (`gpgsig`) of each commit object.
protocol HistorySigner {
    /// Files under `.dehub/` (`config.yml` included), by name.
    func dehubFiles() throws -> [(name: String, bytes: [UInt8])]
    /// Who makes commit `index` (0 is the root commit).
    func committer(of index: Int) -> (name: String, email: String)
    /// A credential over `fingerprint` for commit `index`.
    func credential(over fingerprint: Fingerprint, commit index: Int) throws -> Credential
    /// An armoured signature of the commit object bytes `content`, as `git commit -S` stores it.
    func gitSignature(of content: [UInt8], commit index: Int) throws -> String
    /// Sets up the repository so that `git log --format=%G?` can check the git signatures.
    func configure(_ repo: GitRepository) throws
}
