import Testing

@testable import DehubCore

@Suite struct StrictYAMLReaderTests {
    static let limits = YAMLLimits(maxBytes: 4096, maxDepth: 4, maxNodes: 12)

    func read(_ text: String, limits: YAMLLimits = limits, lineOffset: Int = 0) throws -> YAMLNode? {
        try StrictYAMLReader.read(Array(text.utf8), limits: limits, lineOffset: lineOffset)
    }

    func error(_ text: String, limits: YAMLLimits = limits, lineOffset: Int = 0) -> YAMLError? {
        do {
            _ = try read(text, limits: limits, lineOffset: lineOffset)
            return nil
        } catch let e as YAMLError {
            return e
        } catch {
            Issue.record("not a YAMLError: \(error)")
            return nil
        }
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var message: String
        var mark: YAMLMark?
        var testDescription: String { name }
        init(_ name: String, _ yaml: String, _ message: String, _ line: Int?, _ column: Int? = nil) {
            self.name = name
            self.yaml = yaml
            self.message = message
            self.mark = line.map { YAMLMark(line: $0, column: column ?? 0) }
        }
    }

    static let refusals: [Refusal] = [
        Refusal("duplicate key", "a: 1\nb: 2\na: 3\n", "duplicate key 'a'", 3, 1),
        Refusal("duplicate key, one quoted", "type: change\n'type': comment\n", "duplicate key 'type'", 2, 1),
        Refusal("duplicate key, double-quoted escape", "ab: 1\n\"a\\x62\": 2\n", "duplicate key 'ab'", 2, 1),
        Refusal("duplicate key in a nested mapping", "a:\n  x: 1\n  x: 2\n", "duplicate key 'x'", 3, 3),
        Refusal("duplicate key in flow mapping", "{a: 1, a: 2}", "duplicate key 'a'", 1, 8),
        Refusal("anchor on a scalar", "a: &x 1\n", "anchors (&name) are not allowed", 1, 4),
        Refusal("anchor on a mapping", "a: &x\n  b: 1\n", "anchors (&name) are not allowed", 1, 4),
        Refusal("anchor on a sequence", "a: &x [1]\n", "anchors (&name) are not allowed", 1, 4),
        Refusal("anchor on a key", "&k a: 1\n", "anchors (&name) are not allowed", 1, 1),
        Refusal("alias", "a: 1\nb: *x\n", "aliases (*name) are not allowed", 2, 4),
        Refusal("alias as a key", "*x : 1\n", "aliases (*name) are not allowed", 1, 1),
        Refusal("alias in a sequence", "[*a, *a]", "aliases (*name) are not allowed", 1, 2),
        Refusal("merge key through an alias", "a: &b {x: 1}\nc:\n  <<: *b\n", "anchors (&name) are not allowed", 1, 4),
        Refusal("secondary tag", "a: !!str 1\n", "tags (!tag) are not allowed", 1, 4),
        Refusal("local tag", "a: !custom x\n", "tags (!tag) are not allowed", 1, 4),
        Refusal("verbatim tag", "a: !<tag:yaml.org,2002:int> 1\n", "tags (!tag) are not allowed", 1, 4),
        Refusal("tag on a mapping", "!!map {a: 1}", "tags (!tag) are not allowed", 1, 1),
        Refusal("tag on a sequence", "a: !!seq [1]\n", "tags (!tag) are not allowed", 1, 4),
        Refusal("tag on a binary", "a: !!binary aGVsbG8=\n", "tags (!tag) are not allowed", 1, 4),
        Refusal("%YAML directive", "%YAML 1.1\n---\na: 1\n", "directives (%YAML, %TAG) are not allowed", 1, 1),
        Refusal(
            "%TAG directive", "%TAG !e! tag:example.com,2000:\n---\na: 1\n", "directives (%YAML, %TAG) are not allowed", 1, 1),
        Refusal("complex key: sequence", "? [a, b]\n: c\n", "mapping keys must be strings", 1, 3),
        Refusal("complex key: mapping", "? {a: 1}\n: 2\n", "mapping keys must be strings", 1, 3),
        Refusal("complex key in flow", "{[a]: 1}", "mapping keys must be strings", 1, 2),
        Refusal("second document", "a: 1\n---\nb: 2\n", "only one YAML document is allowed; a second one starts here", 2, 1),
        Refusal(
            "second document after end marker", "a: 1\n...\n---\nb: 2\n",
            "only one YAML document is allowed; a second one starts here", 3, 1),
        Refusal(
            "second, empty, document", "---\na: 1\n---\n", "only one YAML document is allowed; a second one starts here", 3, 1),
        Refusal("too deep: sequences", "[[[[[]]]]]", "document nests deeper than 4 levels", 1, 5),
        Refusal("too deep: mappings", "a:\n b:\n  c:\n   d:\n    e: 1\n", "document nests deeper than 4 levels", 5, 5),
        Refusal("too many nodes", "[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", "document has more than 12 nodes", 1, 37),
        Refusal(
            "too many nodes, keys counted", "{a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7}", "document has more than 12 nodes", 1, 35
        ),
        Refusal("too big", String(repeating: "#", count: 4097), "document is 4097 bytes, more than the limit of 4096", nil),
    ]

    @Test(arguments: refusals)
    func refuses(_ r: Refusal) {
        let e = error(r.yaml)
        #expect(e?.message == r.message)
        #expect(e?.mark == r.mark)
    }

    /// libyaml's own syntax errors come through with their marks (1-based).
    @Test(arguments: [
        ("a: b: c\n", "mapping values are not allowed in this context", YAMLMark(line: 1, column: 5)),
        ("a: [1, 2\n", "did not find expected ',' or ']'", YAMLMark(line: 2, column: 1)),
        ("a:\n\tb: 1\n", "found character that cannot start any token", YAMLMark(line: 2, column: 1)),
        ("a: 'unterminated\n", "found unexpected end of stream", YAMLMark(line: 2, column: 1)),
        ("- a\nb: c\n", "did not find expected '-' indicator", YAMLMark(line: 2, column: 1)),
    ])
    func syntaxErrorsCarryMarks(_ yaml: String, _ problem: String, _ mark: YAMLMark) {
        let e = error(yaml)
        #expect(e?.message.contains(problem) == true, "\(String(describing: e))")
        #expect(e?.mark == mark)
    }

    @Test func lineOffsetShiftsMarks() {
        #expect(error("a: 1\na: 2\n", lineOffset: 1)?.mark == YAMLMark(line: 3, column: 1))
        #expect(error("a: 1\na: 2\n", lineOffset: 10)?.description == "line 12, column 1: duplicate key 'a'")
        #expect(error("a: b: c\n", lineOffset: 4)?.mark == YAMLMark(line: 5, column: 5))
        #expect(error("x:\n  - &a 1\n", lineOffset: 2)?.mark == YAMLMark(line: 4, column: 5))
    }

    @Test func invalidUTF8IsAnError() {
        #expect(throws: YAMLError.self) {
            try StrictYAMLReader.read([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a], limits: Self.limits)
        }
    }

    @Test func controlCharactersAreAnError() {
        #expect(error("a: \u{1}\n") != nil)
    }

    /// A "billion laughs" document: refused at its first anchor, long before any expansion, and with tiny input.
    @Test func aliasBombFailsFast() {
        var lines = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            lines.append("\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ",") + "]")
            previous = name
        }
        let bomb = lines.joined(separator: "\n")
        let e = error(bomb, limits: YAMLLimits(maxBytes: 1 << 20))
        #expect(e?.message == "anchors (&name) are not allowed")
        #expect(e?.mark == YAMLMark(line: 1, column: 4))

        // Aliases alone (to anchors that were never defined) are refused too, at the first one.
        let aliases = "[" + Array(repeating: "*a", count: 10_000).joined(separator: ", ") + "]"
        #expect(error(aliases, limits: YAMLLimits(maxBytes: 1 << 20))?.message == "aliases (*name) are not allowed")
    }

    /// Deep nesting is refused at the limit, before libyaml reads the rest of a hostile document.
    @Test func deepNestingFailsAtTheLimit() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let e = error(deep, limits: YAMLLimits(maxBytes: 1 << 20))
        #expect(e?.message == "document nests deeper than 32 levels")
        #expect(e?.mark == YAMLMark(line: 1, column: 33))
    }

    @Test(arguments: ["", "\n", "# only a comment\n", "   \n\n"])
    func emptyStreamIsNil(_ text: String) throws {
        #expect(try read(text) == nil)
    }

    @Test func composesScalarsSequencesAndMappings() throws {
        let node = try read("---\na: plain\n'b': \"quoted\"\nc: [1, x]\nd: |-\n  line 1\n  line 2\n...\n")
        guard case .mapping(let pairs, let mark) = node else {
            Issue.record("expected a mapping")
            return
        }
        #expect(mark == YAMLMark(line: 2, column: 1))
        #expect(pairs.map(\.key.value) == ["a", "b", "c", "d"])
        #expect(pairs[0].key.isPlain && !pairs[1].key.isPlain)
        guard case .scalar(let a) = pairs[0].value, case .scalar(let b) = pairs[1].value,
            case .sequence(let c, _) = pairs[2].value, case .scalar(let d) = pairs[3].value
        else {
            Issue.record("unexpected shapes")
            return
        }
        #expect(a == YAMLScalar(value: "plain", isPlain: true, mark: YAMLMark(line: 2, column: 4)))
        #expect(b.value == "quoted" && !b.isPlain)
        #expect(c.count == 2)
        #expect(c.first?.kindName == "integer")
        #expect(c.last?.kindName == "string")
        #expect(d.value == "line 1\nline 2" && !d.isPlain)
        #expect(node?.kindName == "a mapping")
        #expect(pairs[2].value.kindName == "a list")
    }

    @Test func lonelyDocumentMarkerIsAnEmptyPlainScalar() throws {
        guard case .scalar(let s) = try read("---\n") else {
            Issue.record("expected a scalar")
            return
        }
        #expect(s.value == "" && s.isPlain)
    }

    @Test func limitsAreInclusive() throws {
        // exactly 12 nodes and exactly 4 levels are fine
        #expect(try read("[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]") != nil)
        #expect(try read("[[[[]]]]") != nil)
        #expect(try read(String(repeating: "#", count: 4096)) == nil)
    }

    @Test func errorDescriptionsNameThePlace() {
        #expect(YAMLError("x", at: YAMLMark(line: 2, column: 3)).description == "line 2, column 3: x")
        #expect(YAMLError("x", at: nil).description == "x")
    }
}
