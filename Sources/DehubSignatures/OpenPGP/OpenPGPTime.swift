/// Formats OpenPGP timestamps (seconds since 1970, UTC) for messages, without Foundation.
enum OpenPGPTime {
    /// "2020-01-03 00:00:00 UTC".
    static func format(_ seconds: UInt64) -> String {
        let days = Int64(seconds / 86_400)
        let secondsOfDay = Int(seconds % 86_400)
        // Civil-from-days (H. Hinnant), valid for all non-negative day counts.
        let z = days + 719_468
        let era = z / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let time = "\(two(Int64(secondsOfDay / 3600))):\(two(Int64(secondsOfDay / 60 % 60))):\(two(Int64(secondsOfDay % 60)))"
        return "\(year)-\(two(month))-\(two(day)) \(time) UTC"
    }
}
