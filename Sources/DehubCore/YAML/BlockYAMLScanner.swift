/// A direct reader for the shape of YAML that dehub itself writes (libyaml's emitter through `YAMLWriter`): a
/// `---` line, then a block mapping at the first column whose values are one-line scalars (plain, or single-quoted
/// without a quote inside), `[]`, or a block sequence (`- ` at the first column) of one-line scalars or of block
/// mappings of one-line scalars. Every payload `dehub commit` writes with a one-line description has this shape.
///
/// It composes exactly the `YAMLNode` that `StrictYAMLReader` composes from libyaml's events (values, styles and
/// marks alike) and gives up (nil) on anything else: a comment, a blank line, a tab, a byte outside printable ASCII,
/// a multi-line or block scalar, a double-quoted scalar, a `:` or `#` in a plain scalar, a duplicate key, more than
/// `maxNodes` nodes. What it gives up on goes to libyaml, which reads it or says precisely what is wrong: this is a
/// fast path, never a second grammar. The tests compare the two on every payload fixture and on mutations of them.
enum BlockYAMLScanner {
    /// Larger documents go to libyaml (whose node limit is far above this).
    static let maxNodes = 1_000

    static func scan(_ bytes: [UInt8], lineOffset: Int) -> YAMLNode? {
        bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(bytes: buffer, lineOffset: lineOffset)
            return scanner.document()
        }
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        let lineOffset: Int
        /// The current line: `start..<end` (without its newline), and its 0-based number.
        var start = 0
        var end = 0
        var number = 0
        var nodes = 0

        init(bytes: UnsafeBufferPointer<UInt8>, lineOffset: Int) {
            self.bytes = bytes
            self.lineOffset = lineOffset
            findEnd()
        }

        var atEnd: Bool { start >= bytes.count }
        var length: Int { end - start }

        mutating func findEnd() {
            end = start
            while end < bytes.count && bytes[end] != 0x0A { end += 1 }
        }

        mutating func nextLine() {
            start = end + 1
            number += 1
            findEnd()
        }

        func byte(_ column: Int) -> UInt8? { start + column < end ? bytes[start + column] : nil }

        func mark(_ column: Int) -> YAMLMark { YAMLMark(line: number + 1 + lineOffset, column: column + 1) }

        mutating func count(_ n: Int = 1) -> Bool {
            nodes += n
            return nodes <= BlockYAMLScanner.maxNodes
        }

        mutating func document() -> YAMLNode? {
            while !atEnd && length == 0 { nextLine() }
            guard !atEnd, length == 3, byte(0) == 0x2D, byte(1) == 0x2D, byte(2) == 0x2D else { return nil }
            nextLine()
            guard !atEnd, length > 0 else { return nil }
            let root = mark(0)
            guard count() else { return nil }
            var entries: [(key: YAMLScalar, value: YAMLNode)] = []
            var seen = Set<String>()
            while !atEnd {
                // Only the newline that ends the document may leave an empty line behind.
                if length == 0 { return end + 1 >= bytes.count ? .mapping(entries, root) : nil }
                guard let found = self.key(at: 0), seen.insert(found.key.value).inserted, count() else { return nil }
                let (key, colon) = found
                let value: YAMLNode
                if colon + 1 == length {
                    nextLine()
                    guard let sequence = sequence() else { return nil }
                    value = sequence
                } else {
                    guard let scalar = inlineValue(at: colon + 1, indent: 0) else { return nil }
                    value = scalar
                    nextLine()
                }
                entries.append((key, value))
            }
            return .mapping(entries, root)
        }

        /// A plain key of letters, digits and `_` at `column`, followed by `:`; returns it and the column of the `:`.
        func key(at column: Int) -> (key: YAMLScalar, colon: Int)? {
            var c = column
            while let b = byte(c), isKeyByte(b) { c += 1 }
            guard c > column, c - column <= 128, byte(c) == 0x3A else { return nil }
            let value = String(decoding: bytes[(start + column)..<(start + c)], as: UTF8.self)
            return (YAMLScalar(value: value, isPlain: true, mark: mark(column)), c)
        }

        /// After a key's `:` at `column - 1` of a mapping indented by `indent`: one space, then `[]`, a one-line
        /// scalar running to the end of the line, or a literal block (`|` or `|-`) on the lines below, after which the
        /// current line is the block's last.
        mutating func inlineValue(at column: Int, indent: Int) -> YAMLNode? {
            guard byte(column) == 0x20, let first = byte(column + 1), first != 0x20 else { return nil }
            guard count() else { return nil }
            if length == column + 3, first == 0x5B, byte(column + 2) == 0x5D { return .sequence([], mark(column + 1)) }
            if first == 0x7C {
                if length == column + 2 { return literal(at: column + 1, indent: indent, strip: false) }
                if length == column + 3, byte(column + 2) == 0x2D { return literal(at: column + 1, indent: indent, strip: true) }
                return nil
            }
            return scalar(at: column + 1).map(YAMLNode.scalar)
        }

        /// A literal block scalar whose indicator is at `column`: its lines are indented by exactly `indent + 2`
        /// (the first one; later ones keep any further spaces), empty lines between them are kept, and the value ends
        /// with one newline (`|`) or none (`|-`). Leaves the current line on the block's last line.
        mutating func literal(at column: Int, indent: Int, strip: Bool) -> YAMLNode? {
            let at = mark(column)
            let content = indent + 2
            var value: [UInt8] = []
            var emptyLines = 0
            var lines = 0
            var last = (start, end, number)
            while true {
                nextLine()
                if atEnd { break }
                if length == 0 {
                    emptyLines += 1
                    continue
                }
                var spaces = 0
                while byte(spaces) == 0x20 { spaces += 1 }
                if spaces == length { return nil }  // a line of spaces only: left to libyaml
                if spaces < content { break }
                if lines == 0 && (spaces != content || emptyLines > 0) { return nil }
                if lines > 0 { value += repeatElement(0x0A, count: 1 + emptyLines) }
                let text = bytes[(start + content)..<end]
                guard text.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) else { return nil }
                value += text
                lines += 1
                emptyLines = 0
                last = (start, end, number)
            }
            guard lines > 0 else { return nil }
            (start, end, number) = last
            // `|` keeps the last line's break, when there is one (a document may end without it).
            if !strip && end < bytes.count { value.append(0x0A) }
            return .scalar(YAMLScalar(value: String(decoding: value, as: UTF8.self), isPlain: false, mark: at))
        }

        /// The block sequence starting on the current line (`- ` at the first column): scalars or mappings.
        mutating func sequence() -> YAMLNode? {
            guard !atEnd, isItem else { return nil }
            let at = mark(0)
            guard count() else { return nil }
            var items: [YAMLNode] = []
            while !atEnd, isItem {
                guard count() else { return nil }
                if let first = self.key(at: 2) {
                    let mapping = mark(2)
                    var entries: [(key: YAMLScalar, value: YAMLNode)] = []
                    var seen: Set<String> = []
                    var current: (key: YAMLScalar, colon: Int)? = first
                    while let entry = current {
                        guard seen.insert(entry.key.value).inserted, count(),
                            let value = inlineValue(at: entry.colon + 1, indent: 2)
                        else { return nil }
                        entries.append((entry.key, value))
                        nextLine()
                        current = nil
                        if !atEnd, length > 2, byte(0) == 0x20, byte(1) == 0x20, byte(2) != 0x20 {
                            guard let next = self.key(at: 2) else { return nil }
                            current = next
                        }
                    }
                    items.append(.mapping(entries, mapping))
                } else {
                    guard let scalar = scalar(at: 2) else { return nil }
                    items.append(.scalar(scalar))
                    nextLine()
                }
            }
            return .sequence(items, at)
        }

        var isItem: Bool { length > 2 && byte(0) == 0x2D && byte(1) == 0x20 && byte(2) != 0x20 }

        /// A one-line scalar from `column` to the end of the line: single-quoted without a quote inside, or plain
        /// and made only of bytes that cannot start or end a YAML construct there.
        func scalar(at column: Int) -> YAMLScalar? {
            guard let first = byte(column) else { return nil }
            if first == 0x27 {
                guard length - column >= 2, byte(length - 1) == 0x27 else { return nil }
                let content = bytes[(start + column + 1)..<(end - 1)]
                guard content.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != 0x27 }) else { return nil }
                return YAMLScalar(value: String(decoding: content, as: UTF8.self), isPlain: false, mark: mark(column))
            }
            guard isPlainStart(first), byte(length - 1) != 0x20 else { return nil }
            let content = bytes[(start + column)..<end]
            guard content.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E && $0 != 0x23 && $0 != 0x3A }) else { return nil }
            return YAMLScalar(value: String(decoding: content, as: UTF8.self), isPlain: true, mark: mark(column))
        }

        func isKeyByte(_ b: UInt8) -> Bool {
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
        }

        /// Letters, digits, and `/ + . _ =` (base64 and paths): no YAML indicator.
        func isPlainStart(_ b: UInt8) -> Bool {
            isKeyByte(b) || b == 0x2F || b == 0x2B || b == 0x2E || b == 0x3D
        }
    }
}
