import CYAML

/// Reads one YAML document with libyaml's event parser and composes it into a `YAMLNode`, refusing
/// everything dehub's formats never need and an attacker could abuse: anchors and aliases (expansion
/// bombs), tags, complex keys, duplicate keys, several documents, and documents beyond `limits`.
public enum StrictYAMLReader {
    /// Returns nil for a stream with no document. `lineOffset` is added to reported lines, for documents
    /// embedded in a larger text (a commit message's payload follows its head line).
    public static func read(_ bytes: [UInt8], limits: YAMLLimits, lineOffset: Int = 0) throws -> YAMLNode? {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError("document is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)", at: nil)
        }
        // The shape dehub writes is read directly (the same nodes, without libyaml's events); anything else below.
        if limits.maxNodes >= BlockYAMLScanner.maxNodes, limits.maxDepth >= 4,
            let node = BlockYAMLScanner.scan(bytes, lineOffset: lineOffset)
        {
            return node
        }
        return try readWithLibYAML(bytes, limits: limits, lineOffset: lineOffset)
    }

    /// `read` through libyaml's event parser only (what the direct scanner must agree with).
    static func readWithLibYAML(_ bytes: [UInt8], limits: YAMLLimits, lineOffset: Int = 0) throws -> YAMLNode? {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError("document is \(bytes.count) bytes, more than the limit of \(limits.maxBytes)", at: nil)
        }
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        defer { parser.deallocate() }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError("cannot initialise the YAML parser", at: nil) }
        defer { yaml_parser_delete(parser) }
        return try bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(parser, buffer.baseAddress ?? UnsafePointer(bitPattern: 1), buffer.count)
            var composer = Composer(parser: parser, limits: limits, lineOffset: lineOffset)
            return try composer.composeStream()
        }
    }
}

private struct Composer {
    let parser: UnsafeMutablePointer<yaml_parser_t>
    let limits: YAMLLimits
    let lineOffset: Int
    var nodeCount = 0

    init(parser: UnsafeMutablePointer<yaml_parser_t>, limits: YAMLLimits, lineOffset: Int) {
        self.parser = parser
        self.limits = limits
        self.lineOffset = lineOffset
    }

    /// One parsed event, copied out of libyaml's structure.
    enum Event {
        case streamStart, streamEnd, documentStart, documentEnd
        case alias
        case scalar(String, plain: Bool)
        case sequenceStart, sequenceEnd, mappingStart, mappingEnd
    }

    func mark(_ m: yaml_mark_t) -> YAMLMark {
        YAMLMark(line: Int(m.line) + 1 + lineOffset, column: Int(m.column) + 1)
    }

    mutating func next() throws -> (Event, YAMLMark) {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            let p = parser.pointee
            let problem = p.problem.map { String(cString: $0) } ?? "invalid YAML"
            let context = p.context.map { String(cString: $0) + ": " } ?? ""
            throw YAMLError("\(context)\(problem)", at: mark(p.problem_mark))
        }
        defer { yaml_event_delete(&event) }
        let at = mark(event.start_mark)
        func refuseDecorations(anchor: UnsafeMutablePointer<yaml_char_t>?, tag: UnsafeMutablePointer<yaml_char_t>?) throws {
            if anchor != nil { throw YAMLError("anchors (&name) are not allowed", at: at) }
            if tag != nil { throw YAMLError("tags (!tag) are not allowed", at: at) }
        }
        switch event.type {
        case YAML_STREAM_START_EVENT: return (.streamStart, at)
        case YAML_STREAM_END_EVENT: return (.streamEnd, at)
        case YAML_DOCUMENT_START_EVENT:
            if event.data.document_start.version_directive != nil
                || event.data.document_start.tag_directives.start != event.data.document_start.tag_directives.end
            {
                throw YAMLError("directives (%YAML, %TAG) are not allowed", at: at)
            }
            return (.documentStart, at)
        case YAML_DOCUMENT_END_EVENT: return (.documentEnd, at)
        case YAML_ALIAS_EVENT: throw YAMLError("aliases (*name) are not allowed", at: at)
        case YAML_SCALAR_EVENT:
            let s = event.data.scalar
            try refuseDecorations(anchor: s.anchor, tag: s.tag)
            let value = String(decoding: UnsafeBufferPointer(start: s.value, count: s.length), as: UTF8.self)
            return (.scalar(value, plain: s.style == YAML_PLAIN_SCALAR_STYLE), at)
        case YAML_SEQUENCE_START_EVENT:
            try refuseDecorations(anchor: event.data.sequence_start.anchor, tag: event.data.sequence_start.tag)
            return (.sequenceStart, at)
        case YAML_SEQUENCE_END_EVENT: return (.sequenceEnd, at)
        case YAML_MAPPING_START_EVENT:
            try refuseDecorations(anchor: event.data.mapping_start.anchor, tag: event.data.mapping_start.tag)
            return (.mappingStart, at)
        case YAML_MAPPING_END_EVENT: return (.mappingEnd, at)
        default: throw YAMLError("unexpected YAML event", at: at)
        }
    }

    mutating func composeStream() throws -> YAMLNode? {
        guard case .streamStart = try next().0 else { throw YAMLError("expected the start of a YAML stream", at: nil) }
        let (first, at) = try next()
        switch first {
        case .streamEnd: return nil
        case .documentStart: break
        default: throw YAMLError("expected a YAML document", at: at)
        }
        let root = try composeNode(try next(), depth: 1)
        guard case .documentEnd = try next().0 else { throw YAMLError("expected the end of the document", at: nil) }
        let (after, afterMark) = try next()
        guard case .streamEnd = after else {
            throw YAMLError("only one YAML document is allowed; a second one starts here", at: afterMark)
        }
        return root
    }

    mutating func composeNode(_ start: (Event, YAMLMark), depth: Int) throws -> YAMLNode {
        let (event, at) = start
        nodeCount += 1
        guard nodeCount <= limits.maxNodes else {
            throw YAMLError("document has more than \(limits.maxNodes) nodes", at: at)
        }
        guard depth <= limits.maxDepth else {
            throw YAMLError("document nests deeper than \(limits.maxDepth) levels", at: at)
        }
        switch event {
        case .scalar(let value, let plain):
            return .scalar(YAMLScalar(value: value, isPlain: plain, mark: at))
        case .sequenceStart:
            var items: [YAMLNode] = []
            while true {
                let e = try next()
                if case .sequenceEnd = e.0 { break }
                items.append(try composeNode(e, depth: depth + 1))
            }
            return .sequence(items, at)
        case .mappingStart:
            var entries: [(key: YAMLScalar, value: YAMLNode)] = []
            var seen = Set<String>()
            while true {
                let (keyEvent, keyMark) = try next()
                if case .mappingEnd = keyEvent { break }
                guard case .scalar(let key, let plain) = keyEvent else {
                    throw YAMLError("mapping keys must be strings", at: keyMark)
                }
                guard seen.insert(key).inserted else {
                    throw YAMLError("duplicate key '\(key)'", at: keyMark)
                }
                nodeCount += 1
                let value = try composeNode(try next(), depth: depth + 1)
                entries.append((YAMLScalar(value: key, isPlain: plain, mark: keyMark), value))
            }
            return .mapping(entries, at)
        default:
            throw YAMLError("unexpected structure in YAML document", at: at)
        }
    }
}
