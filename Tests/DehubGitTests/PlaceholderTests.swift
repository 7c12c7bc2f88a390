import Testing

@Test func DehubGitTestsBuilds() { #expect(Bool(true)) }
