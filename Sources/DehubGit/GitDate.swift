#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A point in time as git records it: seconds since the epoch and the author's UTC offset in minutes.
struct GitDate: Equatable {
    var seconds: Int64
    var offsetMinutes: Int32

    /// Now, in the local time zone.
    static func now() -> GitDate {
        let seconds = Int64(time(nil))
        return GitDate(seconds: seconds, offsetMinutes: localOffsetMinutes(at: seconds))
    }

    /// Parses the date forms git accepts in GIT_AUTHOR_DATE / GIT_COMMITTER_DATE that scripts use:
    /// - git's internal form `1700000000 +0100`, or `@1700000000` with an optional zone;
    /// - RFC 2822, `Tue, 14 Nov 2023 22:13:20 +0000` (weekday optional);
    /// - ISO 8601, `2023-11-14T22:13:20+01:00`, `2023-11-14 22:13:20 +0100` (no zone = local time).
    /// Returns nil for anything else, so that a typo is an error rather than a silently wrong date.
    static func parse(_ text: String) -> GitDate? {
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard !tokens.isEmpty else { return nil }
        return parseEpoch(tokens) ?? parseRFC2822(tokens) ?? parseISO8601(tokens)
    }

    // MARK: - The forms

    private static func parseEpoch(_ tokens: [String]) -> GitDate? {
        var first = Substring(tokens[0])
        let marked = first.hasPrefix("@")
        if marked { first = first.dropFirst() }
        guard let seconds = digits(first) else { return nil }
        switch tokens.count {
        case 1 where marked: return GitDate(seconds: seconds, offsetMinutes: localOffsetMinutes(at: seconds))
        case 2: return zone(tokens[1]).map { GitDate(seconds: seconds, offsetMinutes: $0) }
        default: return nil
        }
    }

    private static func parseRFC2822(_ tokens: [String]) -> GitDate? {
        var rest = tokens[...]
        if let first = rest.first, first.hasSuffix(","), weekdays.contains(first.dropLast().lowercased()) {
            rest = rest.dropFirst()
        }
        guard rest.count == 5,
            let day = digits(Substring(rest[rest.startIndex])),
            let month = months.firstIndex(of: rest[rest.startIndex + 1].lowercased()),
            let year = digits(Substring(rest[rest.startIndex + 2])), rest[rest.startIndex + 2].count == 4,
            let clock = timeOfDay(Substring(rest[rest.startIndex + 3])),
            let offset = zone(rest[rest.startIndex + 4])
        else { return nil }
        return make(year: year, month: Int64(month + 1), day: day, clock: clock, offset: offset)
    }

    private static func parseISO8601(_ tokens: [String]) -> GitDate? {
        var dateText: Substring
        var timeText: Substring
        var zoneText: String?
        if tokens[0].contains("T") {
            let parts = tokens[0].split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            dateText = parts[0]
            timeText = parts[1]
            guard tokens.count <= 2 else { return nil }
            if tokens.count == 2 { zoneText = tokens[1] }
        } else {
            guard tokens.count == 2 || tokens.count == 3 else { return nil }
            dateText = Substring(tokens[0])
            timeText = Substring(tokens[1])
            if tokens.count == 3 { zoneText = tokens[2] }
        }
        // A zone glued to the time: 22:13:20Z, 22:13:20+01:00, 22:13:20.123-0500.
        if zoneText == nil, let split = timeText.firstIndex(where: { $0 == "Z" || $0 == "z" || $0 == "+" || $0 == "-" }) {
            zoneText = String(timeText[split...])
            timeText = timeText[..<split]
        }
        if let dot = timeText.firstIndex(of: ".") {
            guard digits(timeText[timeText.index(after: dot)...]) != nil else { return nil }
            timeText = timeText[..<dot]
        }
        let dateParts = dateText.split(separator: "-", omittingEmptySubsequences: false)
        guard dateParts.count == 3, dateParts[0].count == 4,
            let year = digits(dateParts[0]), let month = digits(dateParts[1]), let day = digits(dateParts[2]),
            let clock = timeOfDay(timeText)
        else { return nil }
        if let zoneText {
            guard let offset = zone(zoneText) else { return nil }
            return make(year: year, month: month, day: day, clock: clock, offset: offset)
        }
        return makeLocal(year: year, month: month, day: day, clock: clock)
    }

    // MARK: - Pieces

    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// A run of 1...18 ASCII digits.
    private static func digits(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }

    /// `HH:MM` or `HH:MM:SS`.
    private static func timeOfDay(_ text: Substring) -> (hour: Int64, minute: Int64, second: Int64)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
            let hour = digits(parts[0]), let minute = digits(parts[1]),
            hour < 24, minute < 60
        else { return nil }
        let second = parts.count == 3 ? digits(parts[2]) : 0
        guard let second, second <= 60 else { return nil }
        return (hour, minute, second)
    }

    /// `+HHMM`, `-HH:MM`, `+HH`, `Z`, `UTC`, `GMT`, `UT`: minutes east of UTC.
    static func zone(_ text: String) -> Int32? {
        switch text.uppercased() {
        case "Z", "UTC", "GMT", "UT": return 0
        default: break
        }
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let body = text.dropFirst().filter { $0 != ":" }
        guard body.count == 4 || body.count == 2, let value = digits(Substring(body)) else { return nil }
        let hours = body.count == 4 ? value / 100 : value
        let minutes = body.count == 4 ? value % 100 : 0
        guard hours <= 23, minutes < 60 else { return nil }
        let total = Int32(hours * 60 + minutes)
        return sign == "-" ? -total : total
    }

    private static func validDay(year: Int64, month: Int64, day: Int64) -> Bool {
        guard (1...12).contains(month), day >= 1, year >= 1970, year <= 9999 else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[Int(month - 1)]
    }

    private static func make(
        year: Int64, month: Int64, day: Int64, clock: (hour: Int64, minute: Int64, second: Int64), offset: Int32
    ) -> GitDate? {
        guard validDay(year: year, month: month, day: day) else { return nil }
        let local =
            daysSinceEpoch(year: year, month: month, day: day) * 86_400
            + clock.hour * 3_600 + clock.minute * 60 + clock.second
        return GitDate(seconds: local - Int64(offset) * 60, offsetMinutes: offset)
    }

    private static func makeLocal(
        year: Int64, month: Int64, day: Int64, clock: (hour: Int64, minute: Int64, second: Int64)
    ) -> GitDate? {
        guard validDay(year: year, month: month, day: day) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(clock.hour)
        parts.tm_min = Int32(clock.minute)
        parts.tm_sec = Int32(clock.second)
        parts.tm_isdst = -1
        let seconds = Int64(mktime(&parts))
        guard seconds != -1 else { return nil }
        return GitDate(seconds: seconds, offsetMinutes: localOffsetMinutes(at: seconds))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The local zone's offset from UTC at `seconds`, in minutes.
    static func localOffsetMinutes(at seconds: Int64) -> Int32 {
        var value = time_t(seconds)
        var parts = tm()
        guard localtime_r(&value, &parts) != nil else { return 0 }
        return Int32(parts.tm_gmtoff / 60)
    }
}
