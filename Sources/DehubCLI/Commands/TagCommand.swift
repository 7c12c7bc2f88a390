import ArgumentParser
import DehubCore
import DehubGit

/// `dehub tag`: makes release tags (format §13) and collects their credentials across clones.
struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag",
        abstract: "Make a signed release tag, add credentials to it, or collect them on a thread.",
        discussion: """
            dehub tag NAME [--rev REV] [--descr TEXT] --as ACCOUNT    creates the local tag with the first credential
            dehub tag NAME --add-credential --as ACCOUNT              adds a credential to the local tag
            dehub tag NAME --propose BRANCH                           records the local tag's credentials as a \
            credential commit on BRANCH (push it: threads take any signed commit)
            dehub tag NAME --from REV [--as ACCOUNT]                  makes the local tag from the credentials on \
            the thread at REV (a fetched proposal), adding your own
            The tag is judged by the config at main's tip (--main); its target must be a commit of main. \
            Push it with `git push origin refs/tags/NAME` once it carries the credentials the rules ask for.
            """)

    @ParentCommand var root: DehubCommand
    @Argument(help: "The tag's name (v1.0).") var name: String
    @Option(help: "The commit to tag (default: main).") var rev: String?
    @Option(help: "What the release is (default: 'Release NAME').") var descr: String?
    @Option(name: .customLong("as"), help: ArgumentHelp("The account to sign as.", valueName: "ACCOUNT")) var account: String?
    @Option(
        help: ArgumentHelp(
            "SSH private key file to sign with (default: a key of the account in ssh-agent or ~/.ssh).", valueName: "FILE"))
    var signKey: String?
    @Flag(help: "Add a credential to the existing local tag.") var addCredential = false
    @Option(help: ArgumentHelp("Record the local tag's credentials as a credential commit on this branch.", valueName: "BRANCH"))
    var propose: String?
    @Option(
        name: .customLong("from"),
        help: ArgumentHelp("Take the tag and its credentials from the proposal thread at REV.", valueName: "REV"))
    var from: String?
    @Option(help: ArgumentHelp("Main's tip, whose config governs the tag (default: main).", valueName: "REV")) var main = "main"

    func validate() throws {
        if let problem = TagName.problem(name) { throw ValidationError("tag name \(problem)") }
        let modes = [addCredential, propose != nil, from != nil].filter { $0 }.count
        guard modes <= 1 else { throw ValidationError("give only one of --add-credential, --propose and --from") }
        if propose != nil, account != nil || rev != nil || descr != nil || signKey != nil {
            throw ValidationError("--propose records the local tag as it is; it takes no --as, --rev, --descr or --sign-key")
        }
        if addCredential, rev != nil || descr != nil {
            throw ValidationError("--add-credential keeps the tag's target and description; it takes no --rev or --descr")
        }
        if propose == nil, from == nil, account == nil { throw ValidationError("say who signs: --as ACCOUNT") }
        if signKey != nil, account == nil { throw ValidationError("--sign-key goes with --as") }
    }

    func run() async throws {
        try await ErrorPresenter.run {
            let repo = try root.repository.open()
            let releases = try ReleaseTags(repo: repo, main: root.repository.resolve(main, in: repo))
            if let propose { return try releases.propose(name: name, on: propose) }
            var draft: ReleaseTags.Draft
            if let from {
                draft = try releases.collect(
                    name: name, from: try root.repository.resolve(from, in: repo), rev: rev, description: descr)
            } else if addCredential {
                guard let local = try releases.localDraft(name: name) else {
                    throw CLIError(
                        "there is no local tag '\(name)'", hint: "create it with `dehub tag \(name) --as ACCOUNT`",
                        status: .noInput)
                }
                draft = local
            } else {
                guard try repo.referenceTarget("refs/tags/\(name)") == nil else {
                    throw CLIError(
                        "tag '\(name)' already exists",
                        hint: "add a credential with `dehub tag \(name) --add-credential --as ACCOUNT`",
                        status: .dataError)
                }
                let target = try root.repository.resolve(rev ?? main, in: repo)
                draft = ReleaseTags.Draft(fields: TagFields(name: name, target: target, description: descr ?? "Release \(name)"))
            }
            if let account {
                try await releases.sign(&draft, as: .account(account, sshKeyFile: signKey))
            }
            return try releases.write(draft)
        }
    }
}
