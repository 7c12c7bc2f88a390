import Foundation

/// The verification hook the host installs in tests. Until the real `dehub hook pre-receive` exists,
/// `standIn` writes a script with the same interface: reads `old new ref` lines, rejects (exit 1, reason
/// on stderr) any new commit whose message lacks the word "signed". Swap this one function for the
/// real binary's path to run every host test against the real hook.
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
