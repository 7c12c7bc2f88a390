import DehubCore
import DehubEvents

/// What `dehub watch` does with its remotes' events. In the foreground it speaks git-remote-daemon's protocol
/// (`WatchMessage`) on stdout and takes `PAUSE`, `RESUME` and `PUSH` from stdin; otherwise it acts: `git fetch`
/// on a change, messages on stderr. Changes within `window` share one `CHANGED` line (and one fetch).
actor WatchDaemon {
    enum Mode { case foreground, act }

    private let mode: Mode
    private let git: WatchGit
    private let order: [String]
    private let watchers: [String: RefWatcher]
    private var tasks: [String: Task<Void, Never>] = [:]
    private var paused = false
    private var coalescer: ChangeCoalescer<ContinuousClock.Instant>
    private var flushScheduled = false
    /// Per remote: a push (or fetch) is running, and whether another was asked for meanwhile (repeats collapse).
    private var pushes: [String: Bool] = [:]
    private var fetches: [String: Bool] = [:]
    private var resumed: [CheckedContinuation<Void, Never>] = []

    init(mode: Mode, git: WatchGit, watchers: [(String, RefWatcher)], window: Duration = .milliseconds(50)) {
        self.mode = mode
        self.git = git
        self.order = watchers.map(\.0)
        self.watchers = Dictionary(watchers, uniquingKeysWith: { a, _ in a })
        self.coalescer = ChangeCoalescer(window: window)
    }

    func start() {
        for remote in order where tasks[remote] == nil {
            guard let watcher = watchers[remote] else { continue }
            tasks[remote] = Task {
                await watcher.run { event in await self.received(event, from: remote) }
            }
        }
    }

    func stopAll() async {
        let running = Array(tasks.values)
        tasks = [:]
        for task in running { task.cancel() }
        for task in running { await task.value }
    }

    /// stdin closed: stop, and say what is still pending.
    func finish() async {
        await stopAll()
        for message in coalescer.flush() { await changed(message) }
    }

    // MARK: - the caller's messages (foreground)

    func handle(line: String) async {
        switch WatchMessage.parse(line) {
        case .failure(let error):
            Output.err("dehub watch: ignored: \(error)")
        case .success(.pause):
            guard !paused else { return }
            paused = true
            await stopAll()
            for remote in order { emit(.status(remote: remote, text: "paused")) }
        case .success(.resume):
            guard paused else { return }
            paused = false
            let waiting = resumed
            resumed = []
            for continuation in waiting { continuation.resume() }
            start()
        case .success(.push(let remote)):
            await push(remote)
        case .success(let other):
            Output.err(
                "dehub watch: ignored: \(other.line.split(separator: " ").first ?? "") is a message dehub watch sends, not one it takes"
            )
        }
    }

    private func push(_ remote: String) async {
        if pushes[remote] != nil {
            pushes[remote] = true
            return
        }
        guard await git.url(of: remote) != nil else {
            emit(.error(remote: remote, text: "no such remote"))
            return
        }
        pushes[remote] = false
        Task { await self.pushLoop(remote) }
    }

    private func pushLoop(_ remote: String) async {
        while true {
            while paused { await withCheckedContinuation { resumed.append($0) } }
            let result = await git.run(["push", "-q", remote])
            if result.status == 0 {
                emit(.status(remote: remote, text: "pushed"))
            } else {
                emit(.error(remote: remote, text: "git push failed: \(WatchGit.lastLine(result.stderr))"))
            }
            guard pushes[remote] == true else { break }
            pushes[remote] = false
        }
        pushes[remote] = nil
    }

    // MARK: - the watchers' events

    private func received(_ event: RefWatcher.Event, from remote: String) {
        guard !paused else { return }
        switch event {
        case .connected:
            emit(.status(remote: remote, text: "connected"))
        case .changed(let keys):
            let now = ContinuousClock.now
            for key in keys { coalescer.add(remote: remote, ref: key.ref, at: now) }
            scheduleFlush()
        case .reconnecting(let delay, let reason):
            let seconds = max(1, Int((delay + .milliseconds(999)).components.seconds))
            emit(.status(remote: remote, text: "reconnecting in \(seconds) s (\(reason))"))
        case .error(let text):
            emit(.error(remote: remote, text: text))
        }
    }

    private func scheduleFlush() {
        guard !flushScheduled, let deadline = coalescer.nextDeadline else { return }
        flushScheduled = true
        Task {
            try? await Task.sleep(until: deadline, clock: .continuous)
            await self.flushDue()
        }
    }

    private func flushDue() async {
        flushScheduled = false
        for message in coalescer.due(at: .now) { await changed(message) }
        scheduleFlush()
    }

    private func changed(_ message: WatchMessage) async {
        switch mode {
        case .foreground:
            emit(message)
        case .act:
            guard case .changed(let remote, _) = message else { return }
            fetch(remote)
        }
    }

    private func fetch(_ remote: String) {
        if fetches[remote] != nil {
            fetches[remote] = true
            return
        }
        fetches[remote] = false
        Task { await self.fetchLoop(remote) }
    }

    private func fetchLoop(_ remote: String) async {
        while true {
            let result = await git.run(["fetch", "-q", remote])
            if result.status != 0 {
                emit(.error(remote: remote, text: "git fetch failed: \(WatchGit.lastLine(result.stderr))"))
            }
            guard fetches[remote] == true else { break }
            fetches[remote] = false
        }
        fetches[remote] = nil
    }

    private func emit(_ message: WatchMessage) {
        switch mode {
        case .foreground:
            Output.out(message.line)
        case .act:
            switch message {
            case .status(let remote, let text): Output.err("dehub watch: \(remote): \(text)")
            case .error(let remote, let text): Output.err("dehub watch: \(remote): error: \(text)")
            default: break
            }
        }
    }
}
