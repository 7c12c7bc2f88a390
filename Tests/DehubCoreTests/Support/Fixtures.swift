@testable import DehubCore

/// Shared sample values.
enum Fixtures {
    /// `Fingerprint.comment("LGTM")`.
    static let fingerprintText = "AMJVFnpluq4Ji5s+wTUOna6PshXe9JVCi2FE6q2vJHra"
    static let fingerprint = try! Fingerprint(base64: fingerprintText)
    static let aliceKeyID = "A11CE00000000001"
    static let bobKeyID = "B0B0000000000002"
    static let signature: [UInt8] = Array("sig".utf8)

    static let pgpCredential = Credential.pgp(PGPCredential(pubKeyID: aliceKeyID, signature: signature, account: "alice"))

    /// `head`, a blank line, then `yaml`.
    static func message(_ yaml: String, head: String = "head") -> String { head + "\n\n" + yaml }

    /// Parses and returns the error message, or nil when the message parses.
    static func payloadError(_ message: String, limits: PayloadLimits = .default) -> String? {
        do {
            _ = try CommitMessage.parse(message, limits: limits)
            return nil
        } catch {
            return error.message
        }
    }

    static func configError(_ yaml: String) -> String? {
        do {
            _ = try ConfigDecoder.decode(Array(yaml.utf8))
            return nil
        } catch {
            return error.message
        }
    }
}
