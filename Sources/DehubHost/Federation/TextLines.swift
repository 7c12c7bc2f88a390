extension StringProtocol {
    /// The text without leading and trailing whitespace and line breaks (git's output ends with a newline).
    func trimmingLines() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
