import Foundation

/// The hook the host's transport suites install. They test transports, limits and process handling, not
/// the rules, so `standIn` writes a script with the interface of `dehub hook pre-receive` that needs no keys:
/// it reads `old new ref` lines and rejects (exit 1, reason on stderr) any new commit whose message lacks the
/// word "signed". `RealHookTests` runs the host with the real `dehub` binary (debug, then static in `make test`).
public enum HostHook {
    public static let rejectionPrefix = "dehub: push rejected:"

    public static func standIn(in directory: String) throws -> String {
        let path = directory + "/dehub-standin-hook"
        let script = """
            #!/bin/sh
            # Stand-in for `dehub hook pre-receive` (host tests only).
            [ "$1 $2" = "hook pre-receive" ] || { echo "usage: dehub hook pre-receive" >&2; exit 64; }
            zero=0000000000000000000000000000000000000000
            while read old new ref; do
              [ "$new" = "$zero" ] && continue
              if [ "$old" = "$zero" ]; then commits=$(git rev-list "$new" --not --all); else commits=$(git rev-list "$old..$new"); fi
              for c in $commits; do
                if ! git log -1 --format=%B "$c" | grep -q signed; then
                  echo "\(rejectionPrefix) commit $c on $ref is not signed" >&2
                  exit 1
                fi
              done
            done
            exit 0

            """
        try script.write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }
}
