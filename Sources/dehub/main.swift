import DehubCLI

#if canImport(Glibc)
import Glibc
#endif

// Installed as hooks/pre-receive or hooks/pre-push (a copy or a link), the binary is the hook.
let invokedAs = CommandLine.arguments.first.map { $0.split(separator: "/").last.map(String.init) ?? $0 } ?? "dehub"
switch invokedAs {
case "pre-receive":
    exit(HookRunner.run(mode: .preReceive))
case "pre-push":
    let remote = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "origin"
    exit(HookRunner.run(mode: .prePush(remote: remote)))
default:
    await DehubMain.main()
}
