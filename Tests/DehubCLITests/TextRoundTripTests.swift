import DehubTestSupport
import Foundation
import Testing

/// Descriptions and comments that YAML likes to reinterpret: dehub writes them so that its strict reader gets
/// the same text back, so the fingerprint still matches and every commit verifies.
@Suite("dehub commit: awkward text round-trips")
struct TextRoundTripTests {
    static let texts: [String] = [
        "no", "yes", "~", "null", "123", "0x1F", "1.5", ".inf", "1:30", "", " ", "a: b", "- item", "# not a comment",
        "line1\nline2\n", "trailing spaces   ", "\tleading tab", "multi\n\n\nblank lines\n\n", "emoji 🎉 and é",
        "first\nsecond has crlf\r\nhere", "a lone\rcarriage return", "---", "...", "'quoted'", "\"double\"", "%YAML 1.2",
        "&anchor", "*alias", "!tag", "{flow: map}",
        "[flow, list]", "key: value\nother: 1", " leading space", "NEL\u{85}inside", "LS\u{2028}inside", "back\\slash",
        "ends with newline\n", "\n\nstarts with newlines", String(repeating: "long line ", count: 200),
    ]

    @Test func descriptionsAndCommentsVerify() throws {
        try roundTrip(Self.texts)
    }

    /// Swift's `String.split(separator: "\n")` works on characters, and "\r\n" is one character: the head is then
    /// the whole text, and the message's first byte-newline falls inside it, so the payload no longer parses.
    @Test func aCRLFInTheFirstLineVerifies() throws {
        try roundTrip(["crlf\r\nline"])
    }

    /// `--name=value`, so that values starting with `-` stay values; an empty value as a separate argument.
    private static func option(_ name: String, _ value: String) -> [String] {
        value.isEmpty ? [name, ""] : [name + "=" + value]
    }

    private func roundTrip(_ texts: [String], sourceLocation: SourceLocation = #_sourceLocation) throws {
        let s = try Scenario()
        let team = try ScenarioTeam(in: s)
        try s.bootstrap(team.config(), signers: [team.a])
        try s.git("switch", "-q", "-c", "feature")
        for (i, text) in texts.enumerated() {
            try s.write("f\(i).txt", "\(i)\n")
            try s.git("add", "-A")
            let change = try s.dehub(["commit"] + team.a.arguments + ["change"] + Self.option("--descr", text))
            #expect(change.exitCode == 0, "change \(text.debugDescription)\n\(change.transcript)", sourceLocation: sourceLocation)
            let comment = try s.dehub(["commit"] + team.b.arguments + ["comment"] + Self.option("--comment", text))
            #expect(
                comment.exitCode == 0, "comment \(text.debugDescription)\n\(comment.transcript)", sourceLocation: sourceLocation)
            let verified = try s.dehub("verify", "--range", "HEAD~2..HEAD")
            #expect(verified.exitCode == 0, "\(text.debugDescription)\n\(verified.transcript)", sourceLocation: sourceLocation)
        }
    }
}
