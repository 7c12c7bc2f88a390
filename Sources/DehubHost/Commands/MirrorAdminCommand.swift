/// `mirror add|sync|status`, over SSH and on the server's command line.
public enum MirrorAdminCommand: Equatable, Sendable {
    case add(RepoName, from: String, root: String?, isPrivate: Bool)
    case sync(RepoName)
    case status(json: Bool)

    static let addUsage = "mirror add NAME --from URL [--root OID] [--private]"

    static func parse(_ words: [String]) -> Result<MirrorAdminCommand, AdminCommandError> {
        guard let verb = words.first else { return .failure(.usage("mirror add|sync|status")) }
        let args = Array(words.dropFirst())
        switch verb {
        case "status":
            switch args {
            case []: return .success(.status(json: false))
            case ["--json"]: return .success(.status(json: true))
            default: return .failure(.usage("mirror status [--json]"))
            }
        case "sync":
            guard args.count == 1, !args[0].hasPrefix("-") else { return .failure(.usage("mirror sync NAME")) }
            return AdminCommand.name(args[0]).map { .sync($0) }
        case "add":
            var name: String?, from: String?, root: String?
            var isPrivate = false
            var index = 0
            while index < args.count {
                let arg = args[index]
                switch arg {
                case "--from", "--root":
                    guard index + 1 < args.count else { return .failure(.usage(addUsage)) }
                    if arg == "--from" { from = args[index + 1] } else { root = args[index + 1] }
                    index += 1
                case "--private":
                    isPrivate = true
                default:
                    guard !arg.hasPrefix("-"), name == nil else { return .failure(.usage(addUsage)) }
                    name = arg
                }
                index += 1
            }
            guard let name, let from else { return .failure(.usage(addUsage)) }
            return AdminCommand.name(name).map { .add($0, from: from, root: root, isPrivate: isPrivate) }
        default:
            return .failure(.unknownCommand("mirror " + verb))
        }
    }
}
