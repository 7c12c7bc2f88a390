@testable import DehubCore

/// A second, deliberately simple writer of payload messages: every string double-quoted, everything outside
/// printable ASCII escaped as `\UXXXXXXXX`. Engine and fuzz tests build their messages with it, so that they do
/// not depend on `YAMLWriter` (tested on its own in CommitMessageRoundTripTests), and so that the parser is
/// also fed a writer other than its own.
enum TestPayloadWriter {
    static func quote(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u.value {
            case 0x5C: out += "\\\\"
            case 0x22: out += "\\\""
            case 0x20...0x7E: out.unicodeScalars.append(u)
            default:
                let hex = String(u.value, radix: 16, uppercase: true)
                out += "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
            }
        }
        return out + "\""
    }

    static func render(head: String, payload: Payload) -> String {
        var lines = [head, "", "---", "type: \(quote(payload.type.rawValue))"]
        switch payload.body {
        case .change(let description): lines.append("description: \(quote(description))")
        case .comment(let text): lines.append("comment: \(quote(text))")
        case .credential(let commits, let description):
            lines.append("commits: [" + commits.map(quote).joined(separator: ", ") + "]")
            if let description { lines.append("change_description: \(quote(description))") }
        case .tag(let fields):
            lines.append("tag: \(quote(fields.name))")
            lines.append("target: \(quote(fields.target.hex))")
            lines.append("description: \(quote(fields.description))")
        }
        lines.append("fingerprint: \(quote(payload.fingerprint.base64))")
        lines.append(payload.credentials.isEmpty ? "credentials: []" : "credentials:")
        for credential in payload.credentials {
            switch credential {
            case .pgp(let c):
                lines.append("- type: \"pgp_signature\"")
                lines.append("  pub_key_id: \(quote(c.pubKeyID))")
                if let body = c.pubKeyBody { lines.append("  pub_key_body: \(quote(body))") }
                lines.append("  body: \(quote(Base64.encode(c.signature)))")
                if let account = c.account { lines.append("  account: \(quote(account))") }
            case .ssh(let c):
                lines.append("- type: \"ssh_signature\"")
                lines.append("  pub_key: \(quote(c.pubKey))")
                lines.append("  body: \(quote(Base64.encode(c.signature)))")
                lines.append("  account: \(quote(c.account))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
