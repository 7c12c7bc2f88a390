import Testing

@Test func DehubCLITestsBuilds() { #expect(Bool(true)) }
