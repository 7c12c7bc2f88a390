struct CredentialDecoder {
    let limits: PayloadLimits

    func decode(_ node: YAMLNode, path: String) throws -> Credential {
        var map = try YAMLMappingReader(node, path: path)
        let type = try map.string("type")
        let credential: Credential
        switch type {
        case "pgp_signature":
            let keyIDNode = try map.requiredNode("pub_key_id")
            let keyID = try YAMLMappingReader.string(keyIDNode, path: map.fieldPath("pub_key_id"))
            guard keyID.utf8.count == 16, keyID.utf8.allSatisfy({ Hex.nibble($0) != nil }) else {
                throw YAMLFieldError(
                    field: map.fieldPath("pub_key_id"), problem: "must be a long key id of 16 hex digits", mark: keyIDNode.mark)
            }
            let signature = try decodeSignature(&map)
            let account = try map.optionalString("account")
            let keyBody = try map.optionalString("pub_key_body")
            switch (account, keyBody) {
            case (nil, nil):
                throw YAMLFieldError(
                    field: map.fieldPath("account"), problem: "is required (or pub_key_body, for an anonymous credential)",
                    mark: map.mark)
            case (.some, .some):
                throw YAMLFieldError(
                    field: map.fieldPath("pub_key_body"), problem: "is only for anonymous credentials, which have no account",
                    mark: map.mark)
            default: break
            }
            if let keyBody, keyBody.utf8.count > limits.maxPublicKeyBytes {
                throw YAMLFieldError(
                    field: map.fieldPath("pub_key_body"), problem: "is more than \(limits.maxPublicKeyBytes) bytes",
                    mark: map.mark)
            }
            if let account { try checkAccount(account, map: map) }
            credential = .pgp(
                PGPCredential(pubKeyID: keyID.uppercased(), signature: signature, account: account, pubKeyBody: keyBody))
        case "ssh_signature":
            let key = try map.string("pub_key")
            guard key.utf8.count <= limits.maxPublicKeyBytes else {
                throw YAMLFieldError(
                    field: map.fieldPath("pub_key"), problem: "is more than \(limits.maxPublicKeyBytes) bytes", mark: map.mark)
            }
            let signature = try decodeSignature(&map)
            let account = try map.string("account")
            try checkAccount(account, map: map)
            credential = .ssh(SSHCredential(pubKey: key, signature: signature, account: account))
        default:
            throw YAMLFieldError(
                field: map.fieldPath("type"),
                problem: "unknown credential type '\(type)' (expected pgp_signature or ssh_signature)", mark: map.mark)
        }
        try map.finish()
        return credential
    }

    private func decodeSignature(_ map: inout YAMLMappingReader) throws -> [UInt8] {
        let node = try map.requiredNode("body")
        let text = try YAMLMappingReader.string(node, path: map.fieldPath("body"))
        guard text.utf8.count <= limits.maxSignatureBytes * 4 / 3 + 4 else {
            throw YAMLFieldError(
                field: map.fieldPath("body"), problem: "is more than \(limits.maxSignatureBytes) bytes", mark: node.mark)
        }
        guard let bytes = Base64.decode(text), !bytes.isEmpty else {
            throw YAMLFieldError(field: map.fieldPath("body"), problem: "is not valid standard base64", mark: node.mark)
        }
        guard bytes.count <= limits.maxSignatureBytes else {
            throw YAMLFieldError(
                field: map.fieldPath("body"), problem: "is more than \(limits.maxSignatureBytes) bytes", mark: node.mark)
        }
        return bytes
    }

    private func checkAccount(_ account: String, map: YAMLMappingReader) throws {
        guard AccountID.isValid(account) else {
            throw YAMLFieldError(field: map.fieldPath("account"), problem: AccountID.rule, mark: map.mark)
        }
    }
}
