import DehubTestSupport
import Foundation
import Testing

/// Shared expectations of the end-to-end suites.
extension CommandResult {
    /// stdout and stderr, for failure messages.
    var transcript: String { "exit \(exitCode)\n--- stdout\n\(stdoutText)\n--- stderr\n\(stderrText)" }

    /// The lines git shows from the server's hook (`remote: ...`), without the prefix.
    var remoteLines: [String] {
        stderrText.split(separator: "\n").compactMap { line in
            line.hasPrefix("remote: ") ? String(line.dropFirst("remote: ".count)).trimmingCharacters(in: .whitespaces) : nil
        }
    }
}

/// Expects a push to have been refused by dehub (on the server unless `by` says the client), with `fragments`
/// somewhere in what the pusher reads.
func expectRefused(
    _ result: CommandResult, _ fragments: String..., by side: String = "remote",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(result.exitCode != 0, "the push should have been refused\n\(result.transcript)", sourceLocation: sourceLocation)
    let marker = side == "remote" ? "remote: dehub: push refused" : "dehub: push refused"
    #expect(result.stderrText.contains(marker), "no '\(marker)' line\n\(result.transcript)", sourceLocation: sourceLocation)
    for fragment in fragments {
        #expect(
            result.stderrText.contains(fragment), "missing '\(fragment)'\n\(result.transcript)", sourceLocation: sourceLocation)
    }
}

/// Expects a push to have been accepted.
func expectAccepted(_ result: CommandResult, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.exitCode == 0, "the push should have been accepted\n\(result.transcript)", sourceLocation: sourceLocation)
}

/// The first 10 hex digits of a commit id, as dehub prints it.
func short(_ id: String) -> String { String(id.prefix(10)) }

extension String {
    /// Whether this commit or tag message names the OpenPGP key `keyID` as a credential's `pub_key_id`. The writer
    /// quotes a key id that a YAML reader would take for a number (all digits, or digits around one `E`), so both
    /// forms count.
    func containsKeyID(_ keyID: String) -> Bool {
        contains("pub_key_id: \(keyID)") || contains("pub_key_id: \"\(keyID)\"") || contains("pub_key_id: '\(keyID)'")
    }
}
