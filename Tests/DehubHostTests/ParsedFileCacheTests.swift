import DehubTestSupport
import Foundation
import Synchronization
import Testing

@testable import DehubHost

/// `ParsedFileCache`: a file is parsed once per version; an edit in place, a replacement by rename or a removal is
/// seen at the next lookup; a file changed within the racy window is never served from the cache.
@Suite("Parsed file cache")
struct ParsedFileCacheTests {
    /// A cache whose parser reads the file's text and counts its calls.
    final class Counted: Sendable {
        final class Counter: Sendable { let value = Atomic<Int>(0) }
        private let counter = Counter()
        let cache: ParsedFileCache<String>

        init(capacity: Int = 16, racyWindow: Int) {
            let counter = self.counter
            self.cache = ParsedFileCache(capacity: capacity, racyWindow: racyWindow) { path in
                counter.value.add(1, ordering: .relaxed)
                return (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<missing>"
            }
        }

        var count: Int { counter.value.load(ordering: .relaxed) }
    }

    private func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parsed-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("a still file is parsed once; an edit in place is read again")
    func editInPlace() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/admins"
        try "one\n".write(toFile: file, atomically: false, encoding: .utf8)
        let counted = Counted(racyWindow: 0)
        #expect(counted.cache.value(atPath: file) == "one\n")
        #expect(counted.cache.value(atPath: file) == "one\n")
        #expect(counted.count == 1)
        let handle = try #require(FileHandle(forWritingAtPath: file))
        handle.write(Data("two\n".utf8))
        try handle.close()
        #expect(counted.cache.value(atPath: file) == "two\n")
        #expect(counted.count == 2)
    }

    @Test("a file replaced by rename, or removed, is read again")
    func replacedAndRemoved() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/readers"
        try "old\n".write(toFile: file, atomically: false, encoding: .utf8)
        let counted = Counted(racyWindow: 0)
        #expect(counted.cache.value(atPath: file) == "old\n")
        try "new\n".write(toFile: dir + "/tmp", atomically: false, encoding: .utf8)
        #expect(rename(dir + "/tmp", file) == 0)
        #expect(counted.cache.value(atPath: file) == "new\n")
        try FileManager.default.removeItem(atPath: file)
        #expect(counted.cache.value(atPath: file) == "<missing>")
        #expect(counted.cache.value(atPath: file) == "<missing>")
        #expect(counted.count == 4)
    }

    @Test("a file changed within the racy window is never served from the cache")
    func racyWindow() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/tokens"
        try "fresh\n".write(toFile: file, atomically: false, encoding: .utf8)
        let counted = Counted(racyWindow: 3600)
        for _ in 0..<3 { #expect(counted.cache.value(atPath: file) == "fresh\n") }
        #expect(counted.count == 3)
        #expect(counted.cache.count == 0)
    }

    @Test("the cache holds at most its capacity")
    func capacity() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let counted = Counted(capacity: 2, racyWindow: 0)
        for index in 0..<5 {
            let file = dir + "/f\(index)"
            try "\(index)".write(toFile: file, atomically: false, encoding: .utf8)
            #expect(counted.cache.value(atPath: file) == "\(index)")
            #expect(counted.cache.count <= 2)
        }
    }

    @Test("the admins file: a key added is seen at the next lookup")
    func adminsFile() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/admins"
        let first = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKivlgp4IBi+Q2y3Z8Xv688/q+0kE+Aj8WVtf36ZjMbO a"
        let second = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINidRgwVTZvnxIl8XrlZZ/rTTudX32OzLQamX4zjalA4 b"
        try (first + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(AuthorizedKeysFile.load(file).count == 1)
        try (first + "\n" + second + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(AuthorizedKeysFile.load(file).count == 2)
    }
}
