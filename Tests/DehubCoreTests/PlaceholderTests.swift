import Testing

@Test func DehubCoreTestsBuilds() { #expect(Bool(true)) }
