import Foundation
import Testing

@testable import DehubCore

/// The README's exit-code table and the help texts come from one place: `ExitStatus`.
@Suite struct ExitStatusTableTests {
    private static let readme = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("README.md")

    /// The rows of the table under "## Exit codes": `| code | meaning |`.
    private func readmeRows() throws -> [(Int32, String)] {
        let text = try String(contentsOf: Self.readme, encoding: .utf8)
        let section = try #require(text.components(separatedBy: "## Exit codes").dropFirst().first)
        let body = section.components(separatedBy: "\n## ").first ?? section
        return body.split(separator: "\n").compactMap { line -> (Int32, String)? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 4, let code = Int32(cells[1]) else { return nil }
            return (code, cells[2])
        }
    }

    @Test func readmeTableMatchesExitStatus() throws {
        let rows = try readmeRows()
        #expect(rows.map(\.0) == ExitStatus.allCases.map(\.rawValue))
        for (code, meaning) in rows {
            #expect(ExitStatus(rawValue: code)?.meaning == meaning, "README row for \(code)")
        }
    }

    @Test func helpTextListsEveryStatusOnce() {
        let text = ExitStatus.helpText(ExitStatus.commandStatuses)
        #expect(text.hasPrefix("Exit codes:"))
        for status in ExitStatus.commandStatuses {
            #expect(text.contains("  \(status.rawValue)  \(status.meaning)"))
        }
        #expect(!text.contains("78"))
        #expect(ExitStatus.helpText(ExitStatus.hostStatuses).contains("  78  "))
    }
}
