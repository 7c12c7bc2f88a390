/// Turns a composed YAML node into a `Payload`, strictly: unknown keys, unknown types, wrong scalar types,
/// bad base64, wrong fingerprint length and oversized fields are errors that name the field.
struct PayloadDecoder {
    let limits: PayloadLimits

    func decode(_ root: YAMLNode) throws -> Payload {
        var map = try YAMLMappingReader(root, path: "")
        let typeName = try map.optionalString("type") ?? PayloadType.change.rawValue
        guard let type = PayloadType(rawValue: typeName) else {
            throw YAMLFieldError(
                field: "type", problem: "unknown payload type '\(typeName)' (expected change, comment, credential or tag)",
                mark: map.node("type")?.mark)
        }
        let fingerprint = try decodeFingerprint(&map)
        let body: Payload.Body
        switch type {
        case .change:
            body = .change(description: try legacyText(&map, key: "description", legacy: "message"))
        case .comment:
            body = .comment(try legacyText(&map, key: "comment", legacy: "message"))
        case .credential:
            var commits: [String] = []
            for (i, item) in (try map.optionalSequence("commits") ?? []).enumerated() {
                let id = try YAMLMappingReader.string(item, path: "commits[\(i)]")
                guard ObjectID(hex: id) != nil else {
                    throw YAMLFieldError(field: "commits[\(i)]", problem: "is not a 40-digit commit id", mark: item.mark)
                }
                commits.append(id)
            }
            let description = try map.optionalString("change_description")
            if let description { try checkText(description, field: "change_description", map: map) }
            body = .credential(commits: commits, changeDescription: description)
        case .tag:
            let nameNode = try map.requiredNode("tag")
            let name = try YAMLMappingReader.string(nameNode, path: "tag")
            if let problem = TagName.problem(name) {
                throw YAMLFieldError(field: "tag", problem: problem, mark: nameNode.mark)
            }
            let targetNode = try map.requiredNode("target")
            let targetText = try YAMLMappingReader.string(targetNode, path: "target")
            guard let target = ObjectID(hex: targetText) else {
                throw YAMLFieldError(field: "target", problem: "is not a 40-digit commit id", mark: targetNode.mark)
            }
            let description = try map.string("description")
            try checkText(description, field: "description", map: map)
            body = .tag(TagFields(name: name, target: target, description: description))
        }
        let credentialNodes = try map.optionalSequence("credentials") ?? []
        guard credentialNodes.count <= limits.maxCredentials else {
            throw YAMLFieldError(
                field: "credentials",
                problem: "has \(credentialNodes.count) entries, more than the limit of \(limits.maxCredentials)",
                mark: map.mark)
        }
        let credentials = try credentialNodes.enumerated().map { i, node in
            try CredentialDecoder(limits: limits).decode(node, path: "credentials[\(i)]")
        }
        try map.finish()
        return Payload(body: body, fingerprint: fingerprint, credentials: credentials)
    }

    private func decodeFingerprint(_ map: inout YAMLMappingReader) throws -> Fingerprint {
        let key: String
        switch (map.has("fingerprint"), map.has("change_hash")) {
        case (true, true):
            throw YAMLFieldError(
                field: "change_hash", problem: "given together with fingerprint; use only fingerprint", mark: map.mark)
        case (false, true): key = "change_hash"
        default: key = "fingerprint"
        }
        let node = try map.requiredNode(key)
        let text = try YAMLMappingReader.string(node, path: key)
        do {
            return try Fingerprint(base64: text)
        } catch {
            throw YAMLFieldError(field: key, problem: error.description, mark: node.mark)
        }
    }

    private func legacyText(_ map: inout YAMLMappingReader, key: String, legacy: String) throws -> String {
        if map.has(key) && map.has(legacy) {
            throw YAMLFieldError(field: legacy, problem: "given together with \(key); use only \(key)", mark: map.mark)
        }
        let name = map.has(legacy) ? legacy : key
        let text = try map.string(name)
        try checkText(text, field: name, map: map)
        return text
    }

    private func checkText(_ text: String, field: String, map: YAMLMappingReader) throws {
        let size = text.utf8.count
        guard size <= limits.maxTextBytes else {
            throw YAMLFieldError(
                field: field, problem: "is \(size) bytes, more than the limit of \(limits.maxTextBytes)", mark: map.mark)
        }
    }
}
