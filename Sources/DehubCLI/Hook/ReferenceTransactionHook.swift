import ArgumentParser
import DehubCore
import DehubVerification

#if canImport(Glibc)
    import Glibc
#endif

/// `dehub hook reference-transaction STATE --socket PATH`: installed by dehub-host in cluster mode only. In state
/// `prepared`, git holds the locks of every ref it is about to move; the hook hands those exact updates to the local
/// host over its Unix socket, and the host commits them to the cluster store in one transaction that compares every
/// ref with the old value (the value the pre-receive hook verified against). Exit 0 lets git move the refs; any
/// other answer, an unreachable host or a time-out makes git abort the update ("failed to update ref"). Other states
/// (`committed`, `aborted`) only drain the input. A single host never installs this hook.
struct ReferenceTransactionHook: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reference-transaction",
        abstract: "Cluster mode (installed by dehub-host): commit git's prepared ref updates to the cluster store first.")

    @Argument(help: "The transaction state git passes: prepared, committed or aborted.") var state: String
    @Option(help: "The host's cluster socket (DATA/cluster.sock).") var socket: String

    static let timeoutSeconds: UInt32 = 30

    func run() async throws {
        throw ExitCode(ReferenceTransactionRunner.run(state: state, socket: socket))
    }
}

enum ReferenceTransactionRunner {
    static func run(state: String, socket: String) -> Int32 {
        let input: String
        do {
            input = try StandardInput.readAll(limit: ClusterRefRequest.maxBytes)
        } catch let error as CLIError {
            return refuse(error.message)
        } catch {
            return refuse("\(error)")
        }
        guard state == "prepared" else { return 0 }
        ClusterCommitTimeout.arm(seconds: ReferenceTransactionHook.timeoutSeconds)
        var updates: [ClusterRefRequest.Update] = []
        for line in input.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 3 else { return refuse("git passed a malformed ref update: \(TerminalText.safe(String(line)))") }
            updates.append(ClusterRefRequest.Update(old: String(parts[0]), new: String(parts[1]), ref: String(parts[2])))
        }
        guard !updates.isEmpty else { return 0 }
        guard let directory = currentDirectory() else { return refuse("cannot tell which repository this is") }
        let role = getenv(PusherRole.environmentVariable).map { String(cString: $0) } ?? ""
        let token = getenv(ClusterRefRequest.tokenVariable).map { String(cString: $0) } ?? ""
        let push = getenv(ClusterRefRequest.pushVariable).map { String(cString: $0) } ?? ""
        let request = ClusterRefRequest(gitDirectory: directory, role: role, token: token, push: push, updates: updates)
        switch exchange(request.encoded, socket: socket) {
        case .failure(let reason):
            return refuse("cluster store unavailable (the cluster node does not answer: \(reason)); reads go on")
        case .success(let answer):
            switch ClusterRefAnswer.decode(answer) {
            case .ok: return 0
            case .refused(let message): return refuse(message)
            }
        }
    }

    static func refuse(_ message: String) -> Int32 {
        Output.err("dehub: push refused: \(message)")
        return 1
    }

    /// git runs the hook in the repository (a bare repo's directory): the git dir.
    static func currentDirectory() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    enum Failure: Error { case failed(String) }

    /// Sends the request and reads the whole answer.
    static func exchange(_ request: String, socket path: String) -> Result<String, Failure> {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return .failure(.failed("socket: \(String(cString: strerror(errno)))")) }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            return .failure(.failed("the socket path is too long"))
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, byte) in bytes.enumerated() { raw[i] = byte }
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { return .failure(.failed("\(path): \(String(cString: strerror(errno)))")) }
        var payload = Array(request.utf8)[...]
        while !payload.isEmpty {
            let written = payload.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return .failure(.failed("write: \(String(cString: strerror(errno)))"))
            }
            payload = payload.dropFirst(written)
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while answer.count < 64 * 1024 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.failed("read: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            answer += buffer[0..<n]
            if answer.contains(UInt8(ascii: "\n")) { break }
        }
        return .success(String(decoding: answer, as: UTF8.self))
    }
}

/// Past the time limit the hook refuses (git then aborts the ref update) and exits at once.
enum ClusterCommitTimeout {
    /// Made before the alarm is armed: the signal handler only writes it.
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?

    static func arm(seconds: UInt32) {
        message = strdup("dehub: push refused: cluster store unavailable (no answer from the cluster node in \(seconds) s)\n")
        signal(SIGALRM) { _ in
            if let text = ClusterCommitTimeout.message { _ = write(2, text, strlen(text)) }
            _exit(1)
        }
        // The hook may inherit a mask that blocks SIGALRM (git, or the host that runs git, may block it): unblock.
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGALRM)
        sigprocmask(SIG_UNBLOCK, &set, nil)
        alarm(seconds)
    }
}
