/// The `events_*` keys of the host config.
extension RefEventSettings {
    static let keys = [
        "events_max_watchers", "events_watcher_buffer", "events_replay_events", "events_scan_interval_seconds",
        "events_keepalive_seconds", "events_max_stream_seconds",
    ]

    /// Sets one key; the problem when the value is not allowed.
    mutating func set(_ key: String, _ value: String, isPlain: Bool) -> String? {
        func number(_ range: ClosedRange<Int>) -> Int? {
            guard isPlain, let n = Int(value), range.contains(n) else { return nil }
            return n
        }
        switch key {
        case "events_max_watchers":
            guard let n = number(0...1_000_000) else { return "events_max_watchers must be an integer from 0 to 1000000" }
            maxWatchers = n
        case "events_watcher_buffer":
            guard let n = number(1...1_000_000) else { return "events_watcher_buffer must be an integer from 1 to 1000000" }
            watcherBuffer = n
        case "events_replay_events":
            guard let n = number(0...10_000_000) else { return "events_replay_events must be an integer from 0 to 10000000" }
            replayEvents = n
        case "events_scan_interval_seconds":
            guard let n = number(1...86_400) else { return "events_scan_interval_seconds must be an integer from 1 to 86400" }
            scanIntervalSeconds = n
        case "events_keepalive_seconds":
            guard let n = number(1...15) else { return "events_keepalive_seconds must be an integer from 1 to 15" }
            keepAliveSeconds = n
        case "events_max_stream_seconds":
            guard let n = number(60...604_800) else { return "events_max_stream_seconds must be an integer from 60 to 604800" }
            maxStreamSeconds = n
        default:
            return "unknown key '\(key)'"
        }
        return nil
    }

    static var defaultFileText: String {
        let d = RefEventSettings()
        return """

            # --- Event stream (GET /NAME.git/dehub/events, ssh git@HOST watch NAME) ---
            # Watchers served at once (0: the stream is off), changes one watcher may leave unread before it is
            # dropped, and changes kept for watchers that reconnect with Last-Event-ID.
            events_max_watchers: \(d.maxWatchers)
            events_watcher_buffer: \(d.watcherBuffer)
            events_replay_events: \(d.replayEvents)
            # Seconds between reconciliation scans of watched repos (changes made behind the host's back), between
            # keep-alives (at most 15), and the longest a stream lasts before its client reconnects.
            events_scan_interval_seconds: \(d.scanIntervalSeconds)
            events_keepalive_seconds: \(d.keepAliveSeconds)
            events_max_stream_seconds: \(d.maxStreamSeconds)
            """
    }
}
