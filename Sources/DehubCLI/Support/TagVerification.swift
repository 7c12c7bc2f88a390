import DehubCore
import DehubGit
import DehubSignatures
import DehubVerification

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `dehub verify --tag NAME`: one release tag under the config at main's tip, as the hook judges it (format §13.2).
enum TagVerification {
    static func run(_ name: String, mainBranch: String, in repo: GitRepository, json: Bool, quiet: Bool) throws -> ExitStatus {
        if let problem = TagName.problem(name) { throw CLIError("tag name \(problem)", status: .usage) }
        guard let object = try repo.referenceTarget("refs/tags/\(name)") else {
            throw CLIError("no tag '\(name)' to verify", hint: "fetch the tags first (git fetch --tags)", status: .noInput)
        }
        guard let main = try repo.reference("refs/heads/\(mainBranch)") else {
            throw CLIError(
                "no branch '\(mainBranch)' whose config would govern the tag", hint: "name main's branch with --branch",
                status: .noInput)
        }
        let verdict = TagVerifier(repository: repo, signatures: SignatureVerifier.shared).verify(
            name: name, object: object, rulesAt: main, mainAfter: main)
        if json {
            Output.out(Self.json(verdict))
        } else if let rejection = verdict.rejection {
            let safe = TerminalText.safe
            Output.err(
                "tag '\(safe(name))' (\(object.short)) is not verifiable under the config at \(safe(mainBranch)) (\(main.short))")
            Output.err("  check:  \(rejection.check.rawValue)")
            Output.err("  reason: \(safe(rejection.reason))")
            if !verdict.credentials.isEmpty {
                let ok = verdict.verifiedAccounts
                Output.err("  verified credentials: \(ok.isEmpty ? "none" : ok.joined(separator: ", "))")
            }
            if let hint = rejection.hint { Output.err("  next:   \(safe(hint))") }
        } else if !quiet {
            Output.out(
                "ok tag \(TerminalText.safe(name)) \(object.short) -> \(verdict.target?.short ?? "?") by \(verdict.verifiedAccounts.joined(separator: ", "))"
            )
        }
        return verdict.isVerified ? .ok : .notVerifiable
    }

    struct JSONTagVerdict: Encodable {
        var tag: String
        var object: String
        var target: String?
        var description: String?
        var verified: Bool
        var verified_accounts: [String]
        var credentials: [VerdictPresenter.JSONCredential]
        var decided_by: String?
        var check: String?
        var reason: String?
        var hint: String?
    }

    static func json(_ v: TagVerdict) -> String {
        let item = JSONTagVerdict(
            tag: v.name, object: v.object.hex, target: v.target?.hex, description: v.description, verified: v.isVerified,
            verified_accounts: v.verifiedAccounts,
            credentials: v.credentials.map { c in
                var error: String?
                if case .failed(let why) = c.outcome { error = why }
                return VerdictPresenter.JSONCredential(
                    index: c.index, account: c.account, kind: c.kind, verified: c.isVerified, error: error)
            },
            decided_by: v.decision.map { "\($0.source)" }, check: v.rejection?.check.rawValue, reason: v.rejection?.reason,
            hint: v.rejection?.hint)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(item) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
