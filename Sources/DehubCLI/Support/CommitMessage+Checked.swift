import DehubCore

extension CommitMessage {
    /// Renders the message and reads it back: dehub never writes a commit that it could not verify itself.
    func renderChecked() throws -> String {
        let text = render()
        let reread: CommitMessage
        do {
            reread = try CommitMessage.parse(text)
        } catch {
            throw CLIError(
                "the commit message would not read back (\(error)); nothing was committed",
                hint: "simplify the description or comment", status: .dataError)
        }
        guard reread.payload == payload else {
            throw CLIError(
                "the commit message would read back differently; nothing was committed",
                hint: "simplify the description or comment", status: .internalError)
        }
        return text
    }
}
