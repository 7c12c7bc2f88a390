/// Writes a payload in the key order of format §3.4.
enum PayloadEncoder {
    static func encode(_ payload: Payload) -> YAMLValue {
        var pairs: [(String, YAMLValue)] = [("type", .string(payload.type.rawValue))]
        switch payload.body {
        case .change(let description):
            pairs.append(("description", .string(description)))
        case .comment(let text):
            pairs.append(("comment", .string(text)))
        case .credential(let commits, let description):
            if !commits.isEmpty { pairs.append(("commits", .sequence(commits.map { .string($0) }))) }
            if let description { pairs.append(("change_description", .string(description))) }
        case .tag(let fields):
            pairs.append(("tag", .string(fields.name)))
            pairs.append(("target", .string(fields.target.hex)))
            pairs.append(("description", .string(fields.description)))
        }
        pairs.append(("fingerprint", .string(payload.fingerprint.base64)))
        pairs.append(("credentials", .sequence(payload.credentials.map(encode))))
        return .mapping(pairs)
    }

    static func encode(_ credential: Credential) -> YAMLValue {
        switch credential {
        case .pgp(let c):
            var pairs: [(String, YAMLValue)] = [("type", .string("pgp_signature")), ("pub_key_id", .string(c.pubKeyID))]
            if let body = c.pubKeyBody { pairs.append(("pub_key_body", .string(body))) }
            pairs.append(("body", .string(Base64.encode(c.signature))))
            if let account = c.account { pairs.append(("account", .string(account))) }
            return .mapping(pairs)
        case .ssh(let c):
            return .mapping([
                ("type", .string("ssh_signature")), ("pub_key", .string(c.pubKey)),
                ("body", .string(Base64.encode(c.signature))), ("account", .string(c.account)),
            ])
        }
    }
}
