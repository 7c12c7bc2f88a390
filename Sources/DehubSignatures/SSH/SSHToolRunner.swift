import Subprocess

/// Runs one OpenSSH client tool (`ssh-keygen`, `ssh-add`) to completion and collects its output.
struct SSHToolRunner: Sendable {
    struct Output: Sendable {
        var exitCode: Int32?
        var stdout: [UInt8]
        var stderr: [UInt8]
        var stderrText: String {
            let text = String(decoding: stderr, as: UTF8.self)
            return text.split(whereSeparator: \.isNewline).joined(separator: "; ")
        }
    }

    static let outputLimit = 1 << 20

    /// Extra environment for the tool (for example `SSH_AUTH_SOCK`); a nil value removes a variable.
    var environment: [String: String?] = [:]

    func run(_ tool: String, _ arguments: [String], input: [UInt8] = []) async throws -> Output {
        let overrides = Dictionary(
            uniqueKeysWithValues: environment.map { (Environment.Key(stringLiteral: $0.key), $0.value) })
        let executable: Executable = tool.contains("/") ? .path(.init(tool)) : .name(tool)
        do {
            let result = try await Subprocess.run(
                executable, arguments: Arguments(arguments), environment: .inherit.updating(overrides),
                input: .array(input), output: .bytes(limit: Self.outputLimit), error: .bytes(limit: Self.outputLimit))
            let code: Int32? = if case .exited(let c) = result.terminationStatus { c } else { nil }
            return Output(exitCode: code, stdout: result.standardOutput, stderr: result.standardError)
        } catch let error as SubprocessError where error.code == .executableNotFound {
            throw SSHSigningError("\(tool) not found: install openssh-client")
        } catch let error as SubprocessError {
            throw SSHSigningError("could not run \(tool): \(error)")
        }
    }
}
