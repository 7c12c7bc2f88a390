/// Why the remote helper stops: printed as `dehub: MESSAGE` (and `hint: HINT`), then the helper exits 128 and git
/// fails the clone or fetch; nothing it refused reaches the repository.
struct RemoteHelperFailure: Error {
    var lines: [String]
    var hint: String?

    init(_ message: String, more: [String] = [], hint: String? = nil) {
        self.lines = [message] + more
        self.hint = hint
    }
}
