import ArgumentParser
import Foundation
import Logging

/// OpenSSH mode, for RSA keys and for sharing port 22 with sshd. In sshd_config:
///
///     Match User git
///       AuthorizedKeysFile none
///       AuthorizedKeysCommand /usr/local/bin/dehub-host authorized-keys --data /var/lib/dehub-host %t %k
///       AuthorizedKeysCommandUser dehub
///       AcceptEnv GIT_PROTOCOL
///
/// sshd asks `authorized-keys` about each offered key; the line it prints accepts the key with a forced
/// `dehub-host shell` command that carries the key, so the shell knows who logged in (sshd has already
/// verified the signature). See deploy/openssh/.
struct AuthorizedKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authorized-keys", abstract: "For sshd's AuthorizedKeysCommand: print the line that admits a key.")

    @OptionGroup var data: DataOption

    @Option(name: .customLong("host-binary"), help: "The dehub-host path sshd should run (default: this binary).")
    var hostBinary: String?

    @Argument(help: "The key type (sshd's %t).") var keyType: String
    @Argument(help: "The base64 key (sshd's %k).") var key: String

    func run() async throws {
        guard let identity = SSHKeyIdentity(openSSHLine: "\(keyType) \(key)") else { return }  // print nothing: not admitted
        print(try Self.line(for: identity, data: data.directory, hostBinary: hostBinary ?? Self.currentBinary()))
    }

    static func line(for key: SSHKeyIdentity, data: DataDirectory, hostBinary: String) throws -> String {
        for path in [hostBinary, data.root] where path.contains(where: { "\"'\\ \n".contains($0) }) {
            throw HostError(.config, "\(path) contains a character that cannot go into a forced command")
        }
        let command =
            "\(hostBinary) shell --data \(data.root) --key-type \(key.algorithm) --key \(Data(key.blob).base64EncodedString())"
        return "restrict,command=\"\(command)\" \(key.openSSHLine)"
    }

    static func currentBinary() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}

/// The forced command of OpenSSH mode: runs `SSH_ORIGINAL_COMMAND` for the key sshd verified,
/// through the same parser, access gate and admin commands as the embedded server.
struct ShellCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shell", abstract: "The forced command of OpenSSH mode (runs SSH_ORIGINAL_COMMAND).")

    @OptionGroup var data: DataOption
    @Option(name: .customLong("key-type")) var keyType: String
    @Option var key: String

    func run() async throws {
        guard let identityKey = SSHKeyIdentity(openSSHLine: "\(keyType) \(key)") else {
            throw HostError(.usage, "shell: --key-type/--key do not form an OpenSSH public key")
        }
        let identity = Identity.key(identityKey)
        let directory = data.directory
        let config = try directory.loadConfig()
        var logger = Logger(label: "dehub-host-shell")
        logger.logLevel = .error
        let services = HostServices(data: directory, config: config, logger: logger)
        let environment = ProcessInfo.processInfo.environment
        guard let command = environment["SSH_ORIGINAL_COMMAND"] else {
            let greeting = await services.admin.run(["whoami"], identity: identity)
            print("Hi! This is dehub-host; it gives no shell.\n" + greeting.stdout + AdminCommand.usage)
            return
        }
        switch SSHCommandLine.parse(command) {
        case .failure(let error):
            throw HostError(.usage, "\(error)")
        case .success(.watch):
            throw HostError(
                .usage,
                "watch is served by the embedded SSH server only; behind sshd, watch over HTTP (GET /NAME.git/dehub/events)")
        case .success(.admin(let words)):
            let outcome = await services.admin.run(words, identity: identity)
            FileHandle.standardOutput.write(Data(outcome.stdout.utf8))
            FileHandle.standardError.write(Data(outcome.stderr.utf8))
            Foundation.exit(outcome.status)
        case .success(.git(let service, let rawName)):
            switch await services.gate.authorize(identity, rawName: rawName, service: service, transport: .ssh) {
            case .failure(let denial):
                throw HostError(.refused, denial.message)
            case .success(let grant):
                let gitEnvironment = services.gitEnvironment(
                    protocolHeader: environment["GIT_PROTOCOL"], identity: identity, transport: .ssh)
                execGit(
                    service.serverConfiguration + [service.subcommand, grant.path],
                    environment: grant.gitEnvironment(gitEnvironment))
            }
        }
    }

    /// Replaces this process with git, so the client talks to git directly over sshd's pipes.
    private func execGit(_ arguments: [String], environment: [String: String]) -> Never {
        for name in [
            "GIT_DIR", "GIT_WORK_TREE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            "GIT_NAMESPACE", "GIT_PROTOCOL",
        ] { unsetenv(name) }
        let fixed = ["GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"]
        for (name, value) in fixed.merging(environment, uniquingKeysWith: { $1 }) { setenv(name, value, 1) }
        let argv = (["git"] + arguments).map { strdup($0) } + [nil]
        execvp("git", argv)
        DehubHostCommand.present(HostError(.io, "cannot run git: \(String(cString: strerror(errno)))"))
    }
}
