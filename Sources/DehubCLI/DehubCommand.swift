import ArgumentParser

public struct DehubCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "dehub",
        abstract: "Typed, signed commits and in-repo access rules for git.",
        version: "0.1.0"
    )
    public init() {}
    public func run() async throws {}
}
