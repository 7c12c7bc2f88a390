/// A `.dehub/config.yml` for tests: accounts with their signifiers, then access controls as raw YAML list items.
public struct ScenarioConfig: Sendable {
    public enum Signifier: Sendable {
        case ssh(String)
        case sshFile(String)
        case pgp(String)
        case pgpFile(String)
    }

    public struct Account: Sendable {
        public var id: String
        public var signifiers: [Signifier]
        public init(_ id: String, _ signifiers: [Signifier]) {
            self.id = id
            self.signifiers = signifiers
        }
    }

    public var accounts: [Account]
    /// YAML list items (each starting with `- action:`), written under `access_controls:` as given.
    public var accessControls: String
    /// Writes `bind_credentials: true` (format §6.7).
    public var bindCredentials: Bool

    public init(accounts: [Account], accessControls: String = "", bindCredentials: Bool = false) {
        self.accounts = accounts
        self.accessControls = accessControls
        self.bindCredentials = bindCredentials
    }

    /// This config with `bind_credentials: true`.
    public var bound: ScenarioConfig {
        var copy = self
        copy.bindCredentials = true
        return copy
    }

    /// Access controls for `main`, as format §8.2 advises: main only moves forward (default #1, first, so that the
    /// allow below cannot let a force push through), changes need `count` of the listed accounts, nothing else.
    public static func mainNeeds(_ count: Int, of accounts: [String]) -> String {
        mainOnlyMovesForward + mainNeedsWithoutForwardRule(count, of: accounts)
    }

    /// Default access control #1, as a config entry.
    public static let mainOnlyMovesForward = """
        - action: deny
          filters:
          - {type: branch, pattern: main}
          - {type: commit_attributes, non_fast_forward: true}

        """

    /// The rules of `scripts/demo.sh` and format §8.3: signatures for main, a final deny, but no forward-only rule.
    public static func mainNeedsWithoutForwardRule(_ count: Int, of accounts: [String]) -> String {
        """
        - action: allow
          filters:
          - {type: branch, pattern: main}
          - {type: payload_type, payload_type: change}
          - {type: signature, account_ids: [\(accounts.joined(separator: ", "))], count: \(count)}
        - action: deny
          filters:
          - {type: branch, pattern: main}

        """
    }

    public func render() -> String {
        var text = bindCredentials ? "bind_credentials: true\naccounts:\n" : "accounts:\n"
        for account in accounts {
            text += "- id: \(account.id)\n  signifiers:\n"
            for signifier in account.signifiers {
                switch signifier {
                case .ssh(let line): text += "  - type: ssh_public_key\n    body: '\(line)'\n"
                case .sshFile(let path): text += "  - type: ssh_public_key_file\n    path: \(path)\n"
                case .pgpFile(let path): text += "  - type: pgp_public_key_file\n    path: \(path)\n"
                case .pgp(let armored):
                    text += "  - type: pgp_public_key\n    body: |\n"
                    var lines = armored.split(separator: "\n", omittingEmptySubsequences: false)
                    while lines.last?.isEmpty == true { lines.removeLast() }
                    for line in lines { text += line.isEmpty ? "\n" : "      \(line)\n" }
                }
            }
        }
        if !accessControls.isEmpty {
            text += "access_controls:\n" + accessControls
            if !text.hasSuffix("\n") { text += "\n" }
        }
        return text
    }
}
