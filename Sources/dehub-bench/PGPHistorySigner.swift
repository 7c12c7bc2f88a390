import DehubCore
import DehubGit
import DehubSignatures

/// One account, `bench`, whose OpenPGP key lives in a GnuPG home; gpgme signs both the credential
/// (binary detached signature) and the git signature (armoured), one gpg process each.
struct PGPHistorySigner: HistorySigner {
    let gnupgHome: String
    let key: String
    let armoredPublicKey: String
    /// The long id of the (sub)key that actually signs, as the credential's `pub_key_id` names it.
    let signingKeyID: String

    init(gnupgHome: String, key: String) throws {
        self.gnupgHome = gnupgHome
        self.key = key
        armoredPublicKey = try GPGMESigner.exportPublicKey(key, gnupgHome: gnupgHome)
        let probe: [UInt8] = Array("dehub-bench probe".utf8)
        let signature = try GPGMESigner.sign(probe, key: key, gnupgHome: gnupgHome)
        signingKeyID = try SignatureVerifier.shared
            .verifyOpenPGP(signature: signature, over: probe, armoredKeys: [armoredPublicKey]).signingKeyID
    }

    func dehubFiles() throws -> [(name: String, bytes: [UInt8])] {
        let config = "accounts:\n- id: bench\n  signifiers:\n  - type: pgp_public_key_file\n    path: .dehub/bench.asc\n"
        return [(name: "bench.asc", bytes: Array(armoredPublicKey.utf8)), (name: "config.yml", bytes: Array(config.utf8))]
    }

    func committer(of index: Int) -> (name: String, email: String) { (name: "Bench", email: "bench@bench.example") }

    func credential(over fingerprint: Fingerprint, commit index: Int) throws -> Credential {
        let signature = try GPGMESigner.sign(fingerprint.bytes, key: key, gnupgHome: gnupgHome)
        return .pgp(PGPCredential(pubKeyID: signingKeyID, signature: signature, account: "bench"))
    }

    func gitSignature(of content: [UInt8], commit index: Int) throws -> String {
        PGPSignatureArmor.armor(try GPGMESigner.sign(content, key: key, gnupgHome: gnupgHome))
    }

    func configure(_ repo: GitRepository) throws {}
}
