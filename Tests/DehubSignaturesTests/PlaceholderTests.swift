import Testing

@Test func DehubSignaturesTestsBuilds() { #expect(Bool(true)) }
