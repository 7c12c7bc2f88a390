import DehubCLI

#if canImport(Glibc)
    import Glibc
#endif

// A closed pipe (a pager quit early, a tool that exits before reading) is an error to handle, not a reason to die.
signal(SIGPIPE, SIG_IGN)

// Installed as hooks/pre-receive or hooks/pre-push (a copy or a link), the binary is the hook.
let invokedAs = CommandLine.arguments.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "dehub"
switch invokedAs {
case "pre-receive":
    exit(HookRunner.run(mode: .preReceive))
case "git-remote-dehub":
    // git runs it for `dehub::URL` remotes (dist/git-remote-dehub is a link to this binary).
    exit(await RemoteHelper.main(arguments: CommandLine.arguments))
case "pre-push":
    let remote = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "origin"
    exit(HookRunner.run(mode: .prePush(remote: remote)))
default:
    // `dehub hook pre-receive` (what install-hook writes) skips the argument parser: it runs on every push.
    if CommandLine.arguments.dropFirst().elementsEqual(["hook", "pre-receive"]) {
        exit(HookRunner.run(mode: .preReceive))
    }
    await DehubMain.main()
}
