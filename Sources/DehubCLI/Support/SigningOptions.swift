import ArgumentParser

/// Who signs: `--as ACCOUNT` (with `--sign-key FILE` for SSH), or `--anon-pgp-key KEYID`.
struct SigningOptions: ParsableArguments {
    @Option(name: .customLong("as"), help: ArgumentHelp("The account to sign as.", valueName: "ACCOUNT"))
    var account: String?

    @Option(
        help: ArgumentHelp(
            "SSH private key file to sign with (default: a key of the account in ssh-agent or ~/.ssh).", valueName: "FILE"))
    var signKey: String?

    @Option(help: ArgumentHelp("Sign anonymously with this OpenPGP key from gpg's keyring.", valueName: "KEYID"))
    var anonPgpKey: String?

    func validate() throws {
        switch (account, anonPgpKey) {
        case (nil, nil): throw ValidationError("say who signs: --as ACCOUNT, or --anon-pgp-key KEYID")
        case (.some, .some): throw ValidationError("--as and --anon-pgp-key exclude each other")
        default: break
        }
        if signKey != nil && anonPgpKey != nil {
            throw ValidationError("--sign-key is for SSH keys; it does not go with --anon-pgp-key")
        }
    }

    var signer: CredentialMaker.Signer {
        if let anonPgpKey { return .anonymousPGP(keyID: anonPgpKey) }
        return .account(account ?? "", sshKeyFile: signKey)
    }
}
