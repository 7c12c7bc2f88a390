import ArgumentParser
import DehubCore
import DehubGit
import DehubVerification

/// The one place where a command's errors become text on stderr and an exit code.
enum ErrorPresenter {
    static func run(_ body: () async throws -> ExitStatus) async throws {
        let status: ExitStatus
        do {
            status = try await body()
        } catch let error as CLIError {
            show(error)
            status = error.status
        } catch let error as VerificationError {
            show(CLIError(error))
            status = error.status
        } catch let error as GitError {
            show(CLIError("git: \(error.message)", status: .ioError))
            status = .ioError
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            show(
                CLIError("internal error: \(error)", hint: "please report this with the command you ran", status: .internalError))
            status = .internalError
        }
        if status != .ok { throw ExitCode(status.rawValue) }
    }

    static func show(_ error: CLIError) {
        Output.err("dehub: \(error.message)")
        if let hint = error.hint { Output.err("hint: \(hint)") }
    }
}
