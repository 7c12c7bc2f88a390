import DehubTestSupport

@testable import DehubCore

/// Random payloads built from strings chosen to trip YAML writers and readers.
enum RandomPayloads {
    static let pieces: [String] = [
        "", " ", "  ", "\n", "\n\n", "\t", "a", "b", "alice", "no", "yes", "~", "null", "true", "123", "0x1F", "1.5",
        "1:30", ".inf", "- x", "-", ": y", ":", "? q", "#", " #c", "'", "\"", "''", "\\", "|", ">", "|-", "---", "...",
        "{", "}", "[", "]", ",", "&a", "*a", "!tag", "!!str", "%YAML", "@", "`", "=", "<<", "é", "日本語", "🙂", "Ω",
        "\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{A0}", "\u{FEFF}", "\u{FFFD}", "%",
        "key: value", "a\n b", "  indented\n",
    ]

    static func text(_ rng: inout SeededGenerator, maxPieces: Int = 8) -> String {
        let n = Int.random(in: 0...maxPieces, using: &rng)
        return (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func credential(_ rng: inout SeededGenerator) -> Credential {
        let accounts = ["alice", "no", "123", "yes", "a.b-c_d", "1e5", "null", "O"]
        let signature = (0..<Int.random(in: 1...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let keyID = String((0..<16).map { _ in "0123456789ABCDEF".randomElement(using: &rng)! })
        switch Int.random(in: 0...2, using: &rng) {
        case 0: return .pgp(PGPCredential(pubKeyID: keyID, signature: signature, account: accounts.randomElement(using: &rng)!))
        case 1: return .pgp(PGPCredential(pubKeyID: keyID, signature: signature, account: nil, pubKeyBody: text(&rng) + "K"))
        default:
            return .ssh(
                SSHCredential(
                    pubKey: "ssh-ed25519 " + text(&rng), signature: signature,
                    account: accounts.randomElement(using: &rng)!))
        }
    }

    static func payload(_ rng: inout SeededGenerator) -> Payload {
        let body: Payload.Body
        switch Int.random(in: 0...3, using: &rng) {
        case 0: body = .change(description: text(&rng))
        case 1: body = .comment(text(&rng))
        case 2:
            let target = ObjectID(hex: String((0..<40).map { _ in "0123456789abcdef".randomElement(using: &rng)! }))!
            body = .tag(
                TagFields(
                    name: ["v1.0", "release/2026-11", "x", "v1.0+build.7"].randomElement(using: &rng)!,
                    target: target, description: text(&rng)))
        default:
            let commits = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                String((0..<40).map { _ in "0123456789abcdef".randomElement(using: &rng)! })
            }
            body = .credential(commits: commits, changeDescription: Bool.random(using: &rng) ? text(&rng) : nil)
        }
        let fingerprint = Fingerprint.comment(text(&rng))
        let credentials = (0..<Int.random(in: 0...3, using: &rng)).map { _ in credential(&rng) }
        return Payload(body: body, fingerprint: fingerprint, credentials: credentials)
    }
}
