import Testing

@testable import DehubCore

/// How YAML 1.1 and 1.2 readers would type a plain scalar. dehub refuses any plain scalar another reader would
/// not take for a string where a string belongs, so the table errs on the side of "not a string".
@Suite struct PlainScalarResolutionTests {
    @Test(arguments: ["", "~", "null", "Null", "NULL"])
    func nulls(_ s: String) { #expect(PlainScalarResolution.kind(of: s) == .null) }

    @Test(arguments: [
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
        "on", "On", "ON", "off", "Off", "OFF",
    ])
    func booleans(_ s: String) { #expect(PlainScalarResolution.kind(of: s) == .boolean) }

    @Test(arguments: [
        "0", "7", "-7", "+7", "123", "1_000", "0777", "0o17", "0x1F", "0xdeadBEEF", "0X1f", "-0x1F", "0b1010", "+0b1",
        "1:30", "190:20:30", "1:2:3", "12345678901234567890123",
        "1234567812345678",  // an all-digit key id or commit id
    ])
    func integers(_ s: String) { #expect(PlainScalarResolution.kind(of: s) == .integer) }

    @Test(arguments: [
        "1.0", "-1.5", "+.5", ".5", "5.", "1e5", "1E5", "1e+5", "1.5e-3", "1_000.5", "0.1", ".inf", "-.inf", "+.INF",
        ".nan", ".NaN", ".NAN", "-.Inf",
        "12345678E1234567",  // a hex key id that happens to read as a float
        "6e40",
    ])
    func floats(_ s: String) { #expect(PlainScalarResolution.kind(of: s) == .float) }

    @Test(arguments: [
        "95C46FA6A41148AC", "1.0.2", "alice", "main", "change", "a1", "1a", "0x", "0xg", "0o8", "0b2", "e5", ".", "-", "+",
        "_1", "1:", ":1", "1::2", "1:234", "1.2.3.4", "v1.0", "1e", "1e+", "1.5e", "inf", "nan", "NaN", ".infinity",
        "yess", "nope", "TRUE!", "Off-by-one", "nul", "~~", "0.0.0.0", "1-2", "1 2", "1,000", "$1", "ssh-ed25519",
        "AJailtIk8oXGe+6Tww+KMJFX8NqjXcW4fkELeGMKCc/H", ".dehub/alice.asc", "66%",
    ])
    func strings(_ s: String) { #expect(PlainScalarResolution.kind(of: s) == .string) }

    @Test func namesForMessages() {
        #expect(PlainScalarResolution.string.name == "string")
        #expect(PlainScalarResolution.null.name == "null")
        #expect(PlainScalarResolution.boolean.name == "boolean")
        #expect(PlainScalarResolution.integer.name == "integer")
        #expect(PlainScalarResolution.float.name == "number")
    }

    /// YAML 1.1 (PyYAML `safe_load`, checked on this machine) reads these as floats: 685230.15 and 90.5.
    @Test(arguments: ["190:20:30.15", "1:30.5", "-1:30.", "+12:00:00.5"])
    func sexagesimalFloatsAreNotStrings(_ s: String) {
        #expect(PlainScalarResolution.kind(of: s) != .string)
    }

    /// YAML 1.1 gives `=` (value) and `<<` (merge) their own types; PyYAML's safe_load refuses to construct them,
    /// so a description "=" written plain cannot be read by it.
    @Test(arguments: ["=", "<<"])
    func yaml11SpecialKeysAreNotStrings(_ s: String) {
        #expect(PlainScalarResolution.kind(of: s) != .string)
    }
}
