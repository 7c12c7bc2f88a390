/// Commands for managing the host, over SSH (`ssh git@HOST repo create NAME`) and on the server CLI.
public enum AdminCommand: Equatable, Sendable {
    case repoCreate(RepoName, isPrivate: Bool)
    case repoList
    case repoDelete(RepoName)
    case repoFork(RepoName, to: RepoName, isPrivate: Bool, newRoot: Bool)
    case mirror(MirrorAdminCommand)
    /// `cluster status`: the cluster as the store sees it (docs/cluster.md); a node in cluster mode only.
    case clusterStatus
    case whoami
    case help

    /// Whether only admins may run it.
    public var needsAdmin: Bool {
        switch self {
        case .repoCreate, .repoDelete, .repoFork, .mirror, .clusterStatus: true
        case .repoList, .whoami, .help: false
        }
    }

    /// Parses words as split by `SSHCommandLine`. Strict: unknown words and extra arguments are errors.
    public static func parse(_ words: [String]) -> Result<AdminCommand, AdminCommandError> {
        guard let first = words.first else { return .success(.help) }
        switch (first, Array(words.dropFirst())) {
        case ("whoami", []): return .success(.whoami)
        case ("help", []): return .success(.help)
        case ("repo", let rest): return parseRepo(rest)
        case ("mirror", let rest): return MirrorAdminCommand.parse(rest).map { .mirror($0) }
        case ("cluster", ["status"]): return .success(.clusterStatus)
        case ("cluster", _): return .failure(.usage("cluster status"))
        default: return .failure(.unknownCommand(first))
        }
    }

    private static func parseRepo(_ words: [String]) -> Result<AdminCommand, AdminCommandError> {
        guard let verb = words.first else { return .failure(.usage(usage)) }
        let args = Array(words.dropFirst())
        switch verb {
        case "list":
            return args.isEmpty ? .success(.repoList) : .failure(.usage("repo list"))
        case "create":
            var isPrivate = false
            var names: [String] = []
            for arg in args {
                if arg == "--private" {
                    isPrivate = true
                } else if arg.hasPrefix("-") {
                    return .failure(.usage("repo create NAME [--private]"))
                } else {
                    names.append(arg)
                }
            }
            guard names.count == 1 else { return .failure(.usage("repo create NAME [--private]")) }
            return name(names[0]).map { .repoCreate($0, isPrivate: isPrivate) }
        case "delete":
            guard args.count == 1, !args[0].hasPrefix("-") else { return .failure(.usage("repo delete NAME")) }
            return name(args[0]).map { .repoDelete($0) }
        case "fork":
            return parseFork(args)
        default:
            return .failure(.unknownCommand("repo " + verb))
        }
    }

    private static func parseFork(_ args: [String]) -> Result<AdminCommand, AdminCommandError> {
        let usage = "repo fork SRC DST [--private] [--new-root]"
        var isPrivate = false, newRoot = false
        var names: [String] = []
        for arg in args {
            switch arg {
            case "--private": isPrivate = true
            case "--new-root": newRoot = true
            default:
                guard !arg.hasPrefix("-") else { return .failure(.usage(usage)) }
                names.append(arg)
            }
        }
        guard names.count == 2 else { return .failure(.usage(usage)) }
        return name(names[0]).flatMap { source in
            name(names[1]).map { .repoFork(source, to: $0, isPrivate: isPrivate, newRoot: newRoot) }
        }
    }

    static func name(_ raw: String) -> Result<RepoName, AdminCommandError> {
        RepoName.parse(raw).mapError { .invalidName(raw, $0) }
    }

    public static let usage = """
        commands:
          repo create NAME [--private]   create a bare repository guarded by the dehub hook (admins)
          repo list                      list the repositories you may see
          repo delete NAME               delete a repository (admins)
          repo fork SRC DST [--private] [--new-root]
                                         fork SRC on this host, lineage recorded (admins)
          mirror add NAME --from URL [--root OID] [--private]
                                         make NAME a read-only, verified mirror of URL (admins)
          mirror sync NAME               sync a mirror now (admins)
          mirror status [--json]         every mirror's last sync, per ref (admins)
          cluster status                 nodes, repos, each replica's state and checksum (admins, cluster mode)
          watch NAME [NAME...]           stream the repositories' ref changes (READY, then CHANGED NAME REF OLD NEW)
          whoami                         show the key you are authenticated with
        """
}

public enum AdminCommandError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownCommand(String)
    case usage(String)
    case invalidName(String, RepoNameProblem)

    public var description: String {
        switch self {
        case .unknownCommand(let word): "unknown command '\(word)'\n" + AdminCommand.usage
        case .usage(let usage): "usage: \(usage)"
        case .invalidName(_, let problem): "invalid repository name: \(problem)"
        }
    }
}
