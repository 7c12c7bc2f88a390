import Foundation
import Testing

/// Every `format §N` (or `§N.M`) that a comment in Sources/ or Tests/ cites is a heading of docs/format.md, so a
/// renumbering of the format cannot leave the code pointing at the wrong rule.
@Suite struct FormatCitationTests {
    private static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// "7", "7.5", ... for every `## 7.` / `### 7.5` heading.
    private func sections() throws -> Set<String> {
        let text = try String(contentsOf: Self.root.appendingPathComponent("docs/format.md"), encoding: .utf8)
        var numbers = Set<String>()
        for line in text.split(separator: "\n") where line.hasPrefix("#") {
            let words = line.split(separator: " ")
            guard words.count > 1 else { continue }
            let number = words[1].hasSuffix(".") ? words[1].dropLast() : words[1]
            if number.first?.isNumber == true { numbers.insert(String(number)) }
        }
        return numbers
    }

    /// (file:line, section) for every citation: "format §N", "Format §N", "format.md §N", and each "§M" of a
    /// range or list that follows it ("format §3–§4").
    private func citations() throws -> [(String, String)] {
        var found: [(String, String)] = []
        let pattern = try NSRegularExpression(
            pattern: #"[Ff]ormat(?:\.md)? (§[0-9]+(?:\.[0-9]+)*(?:[–,-] ?§[0-9]+(?:\.[0-9]+)*)*)"#)
        for folder in ["Sources", "Tests"] {
            let base = Self.root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { continue }
            for case let url as URL in walker where url.pathExtension == "swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let line = String(line)
                    let range = NSRange(line.startIndex..., in: line)
                    for match in pattern.matches(in: line, range: range) {
                        let cited = (line as NSString).substring(with: match.range(at: 1))
                        for part in cited.components(separatedBy: "§").dropFirst() {
                            let number = part.prefix { $0.isNumber || $0 == "." }
                            let trimmed = number.hasSuffix(".") ? number.dropLast() : number
                            found.append(("\(folder)/\(url.lastPathComponent):\(index + 1)", String(trimmed)))
                        }
                    }
                }
            }
        }
        return found
    }

    @Test func everyCitedSectionExists() throws {
        let sections = try sections()
        #expect(sections.contains("10") && sections.contains("5.4"))
        let citations = try citations()
        #expect(citations.count > 10, "the scan found the citations")
        for (place, section) in citations {
            #expect(sections.contains(section), "\(place) cites format §\(section), which docs/format.md does not have")
        }
    }
}
