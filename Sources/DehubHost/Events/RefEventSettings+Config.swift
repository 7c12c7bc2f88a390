/// The `events_*` keys of the host config (rows of `HostConfig.table`).
extension RefEventSettings {
    static let configKeys: [HostConfigKey] = [
        .integer("events_max_watchers", \.events.maxWatchers, .from(0...1_000_000))
            .heading("Event stream (GET /NAME.git/dehub/events, ssh git@HOST watch NAME)")
            .about(
                """
                Watchers served at once (0: the stream is off), changes one watcher may leave unread before it is
                dropped, and changes kept for watchers that reconnect with Last-Event-ID.
                """),
        .integer("events_watcher_buffer", \.events.watcherBuffer, .from(1...1_000_000)),
        .integer("events_replay_events", \.events.replayEvents, .from(0...10_000_000)),
        .integer("events_scan_interval_seconds", \.events.scanIntervalSeconds, .from(1...86_400)).about(
            """
            Seconds between reconciliation scans of watched repos (changes made behind the host's back), between
            keep-alives (at most 15), and the longest a stream lasts before its client reconnects.
            """),
        .integer("events_keepalive_seconds", \.events.keepAliveSeconds, .from(1...15)),
        .integer("events_max_stream_seconds", \.events.maxStreamSeconds, .from(60...604_800)),
    ]
}
