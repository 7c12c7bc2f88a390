import Testing

@testable import DehubCore

@Suite struct GlobTests {
    @Test(arguments: [
        // `*` stays within one segment
        ("*", "main", true), ("*", "feature/x", false), ("*", "", true), ("*", "a.b", true),
        ("feature/*", "feature/x", true), ("feature/*", "feature/x/y", false), ("feature/*", "feature", false),
        ("feature/*", "feature/", true),
        ("*.swift", "main.swift", true), ("*.swift", "src/main.swift", false), ("*.swift", ".swift", true),
        ("*a*", "bab", true), ("*a*", "b/a", false), ("a*b", "ab", true), ("a*b", "a/b", false), ("a*b", "axxb", true),
        // `**` crosses segments
        ("**", "a/b/c", true), ("**", "", true), ("**", "main", true),
        ("feature/**", "feature/x/y", true), ("feature/**", "feature/x", true), ("feature/**", "feature", false),
        ("feature/**", "featurex/y", false),
        ("**/b", "b", true), ("**/b", "a/b", true), ("**/b", "a/c/b", true), ("**/b", "ab", false), ("**/b", "a/xb", false),
        ("**/b", "b/c", false),
        ("a/**/b", "a/b", true), ("a/**/b", "a/x/b", true), ("a/**/b", "a/x/y/b", true), ("a/**/b", "a/xb", false),
        ("a/**/b", "ab", false), ("a/**/b", "a/b/c", false), ("a/**/b", "x/a/b", false), ("a/**/b", "a/x/bb", false),
        ("src/**/*.swift", "src/a.swift", true), ("src/**/*.swift", "src/x/y/a.swift", true),
        ("src/**/*.swift", "src/a.swiftx", false), ("src/**/*.swift", "tests/a.swift", false),
        ("**/*", "a", true), ("**/*", "a/b", true), ("a/**/**/b", "a/b", true), ("a/**/**/b", "a/x/y/b", true),
        ("a/**/", "a/x/y", true),
        (".dehub/**", ".dehub/config.yml", true), (".dehub/**", ".dehub/keys/alice.asc", true), (".dehub/**", ".dehub", false),
        (".dehub/**", "x.dehub/config.yml", false), (".dehub/**", "x/.dehub/config.yml", false),
        // `?` is one character other than `/`
        ("?", "a", true), ("?", "ab", false), ("?", "/", false), ("?", "", false), ("a?c", "abc", true), ("a?c", "a/c", false),
        ("user/?/*", "user/a/b", true), ("user/?/*", "user/ab/b", false),
        // everything else is literal
        ("main", "main", true), ("main", "main2", false), ("main", "mai", false), ("main", "xmain", false),
        ("main", "Main", false),
        ("v1.0", "v1.0", true), ("v1.0", "v1x0", false), ("[a]", "[a]", true), ("[a]", "a", false), ("a{b,c}", "ab", false),
        ("a\\*", "a\\x", true), ("a+", "aa", false), ("^main$", "main", false),
        // branch names with slashes
        ("threads/alice/*", "threads/alice/fix", true), ("threads/alice/*", "threads/bob/fix", false),
        ("threads/*/fix", "threads/alice/fix", true), ("threads/*/fix", "threads/a/b/fix", false),
        ("threads/**/fix", "threads/a/b/fix", true),
    ])
    func matches(_ pattern: String, _ path: String, _ expected: Bool) throws {
        let glob = try Glob(pattern)
        #expect(glob.matches(path) == expected)
        #expect(glob.matches(Array(path.utf8)) == expected)
        #expect(glob.description == pattern)
    }

    @Test(arguments: [
        ("a**", GlobError.globstarInsideSegment("a**"), "'a**': '**' must stand alone between slashes"),
        ("**a", .globstarInsideSegment("**a"), "'**a': '**' must stand alone between slashes"),
        ("a/**b", .globstarInsideSegment("a/**b"), "'a/**b': '**' must stand alone between slashes"),
        ("***", .globstarInsideSegment("***"), "'***': '**' must stand alone between slashes"),
        ("**.swift", .globstarInsideSegment("**.swift"), "'**.swift': '**' must stand alone between slashes"),
        ("", .empty, "is empty"),
    ])
    func refuses(_ pattern: String, _ error: GlobError, _ message: String) {
        #expect(throws: error) { try Glob(pattern) }
        #expect(error.description == message)
    }

    /// Patterns that make backtracking matchers exponential finish at once here (matching is linear in
    /// pattern × path). No timing assertion: a regression would hang the test run.
    @Test func pathologicalPatternsAreLinear() throws {
        let long = String(repeating: "a", count: 20_000)
        #expect(try Glob("*a*a*a*a*a*a*a*a*a*a*a*a*b").matches(long) == false)
        #expect(try Glob("*a*a*a*a*a*a*a*a*a*a*a*a*a").matches(long) == true)
        #expect(try Glob("?*?*?*?*?*?*?*?*?*?*b").matches(long) == false)
        let deep = Array(repeating: "a", count: 5_000).joined(separator: "/")
        #expect(try Glob("**/a/**/a/**/a/**/a/**/a/**/b").matches(deep) == false)
        #expect(try Glob("**/a/**/a/**/a/**/a/**/a/**/a").matches(deep) == true)
        #expect(try Glob(String(repeating: "*a", count: 500) + "b").matches(long) == false)
    }

    /// Format §7.5: `?` matches one character; a branch or path may contain non-ASCII characters.
    @Test func questionMarkMatchesOneCharacterNotOneByte() throws {
        let glob = try Glob("caf?")
        #expect(glob.matches("cafe"))
        #expect(glob.matches("café"))
    }
}
