/// The access controls that follow a config's own when none of those matched (format §8.2). The last always matches.
public enum DefaultAccessControls {
    public static let entries: [AccessControl] = {
        // The patterns are constants; they always parse.
        let main = try! Glob("main")
        return [
            AccessControl(action: .deny, filters: [.branch(main), .commitAttributes(nonFastForward: true)]),
            AccessControl(action: .allow, filters: [.not(.branch(main)), .signature(.init(accounts: .any, count: .number(1)))]),
            AccessControl(
                action: .allow,
                filters: [.branch(main), .payloadType(.change), .signature(.init(accounts: .any, count: .number(1)))]),
            AccessControl(action: .deny, filters: []),
        ]
    }()

    /// The default for tags, after the config's entries that speak of tags (format §13.3): nothing is allowed.
    public static let tagEntry = AccessControl(action: .deny, filters: [])
}
