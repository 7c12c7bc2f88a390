#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
#if canImport(Glibc)
    import Glibc
#endif

// dehub-bench: generates signed dehub histories for the benchmarks (bench/verify-bench.sh, bench/hook-bench.sh).
//   dehub-bench generate-ssh --commits N --out DIR [--files K]
//   dehub-bench generate-pgp --commits N --gnupghome H --key ID --out DIR [--files K]
// Prints the root commit's id on stdout; progress on stderr. Exit 0 ok, 1 failure, 64 usage.

let usage = """
    usage: dehub-bench generate-ssh --commits N --out DIR [--files K]
           dehub-bench generate-pgp --commits N --gnupghome HOME --key KEYID --out DIR [--files K]
    """

func fail(_ message: String, status: Int32) -> Never {
    let text = "dehub-bench: " + message + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(status)
}

do {
    let options = try BenchOptions(CommandLine.arguments.dropFirst())
    let start = ContinuousClock.now
    let signer: HistorySigner
    switch options.mode {
    case .ssh:
        signer = try SSHHistorySigner(allowedSignersPath: options.out + "/.git/allowed_signers")
    case .pgp(let home, let key):
        signer = try PGPHistorySigner(gnupgHome: home, key: key)
    }
    let generator = HistoryGenerator(commits: options.commits, files: options.files)
    let result = try generator.generate(into: options.out, signer: signer) { done in
        let line = "dehub-bench: \(done) commits\n"
        _ = line.withCString { write(2, $0, strlen($0)) }
    }
    let elapsed = ContinuousClock.now - start
    let summary = "dehub-bench: \(options.commits) change commits on main in \(options.out) (\(elapsed)); tip \(result.tip.hex)\n"
    _ = summary.withCString { write(2, $0, strlen($0)) }
    print(result.root.hex)
} catch let error as BenchOptions.UsageError {
    fail("\(error.message)\n\(usage)", status: 64)
} catch {
    fail("\(error)", status: 1)
}
