import DehubCore
import NIOCore
import Synchronization

/// `ssh git@HOST watch NAME [NAME...]`: the event stream as lines (`RefStreamLine`): the snapshot, `READY`, then
/// `CHANGED NAME REF OLD NEW`, with a `KEEPALIVE` line when idle (it is also what keeps the connection from
/// counting as idle). Runs until the client closes the channel or the hub ends the stream (exit status 1 after an
/// `ERROR` line, 0 when the stream reached its maximum age).
extension SSHSession {
    func watch(_ rawNames: [String]) async -> Int32 {
        guard !rawNames.isEmpty else {
            await output.finish(status: 64, stderr: "dehub-host: usage: watch NAME [NAME...]\n")
            return 64
        }
        guard rawNames.count <= RefEventSettings.maxReposPerWatch else {
            await output.finish(
                status: 64, stderr: "dehub-host: at most \(RefEventSettings.maxReposPerWatch) repositories per watch\n")
            return 64
        }
        var repos: [(name: String, path: String)] = []
        for rawName in rawNames {
            switch await services.gate.authorize(identity, rawName: rawName, service: .uploadPack, transport: .ssh) {
            case .failure(let denial):
                var message = "dehub-host: \(denial.message)\n"
                if !identity.isAuthenticated, denial != .notFound { message += Self.keyHint }
                await output.finish(status: 1, stderr: message)
                return 1
            case .success(let grant):
                if !repos.contains(where: { $0.name == grant.name.path }) { repos.append((grant.name.path, grant.path)) }
            }
        }
        let subscription: RefSubscription
        switch await services.events.subscribe(repos: repos, lastEventID: nil) {
        case .failure(let refusal):
            await output.finish(status: 1, stderr: "dehub-host: \(refusal)\n")
            return 1
        case .success(let taken): subscription = taken
        }
        let output = self.output
        // Ended by the hub: a writer stuck on a client that reads nothing is freed by closing the channel, unless
        // the session finished by then (its channel number may be another session's afterwards).
        let finished = WatchSessionEnd()
        subscription.setOnEnd {
            Task {
                try? await Task.sleep(for: .seconds(5))
                if !finished.isSet { output.close() }
            }
        }
        defer { subscription.cancel() }
        // The client's input is not read (its end is not the end: `ssh -n` sends EOF at once); the channel's close
        // cancels this task, which ends the loop.
        var status: Int32 = 0
        while let first = await subscription.next() {
            var text = Self.line(first, status: &status)
            for item in subscription.available(limit: 256) { text += Self.line(item, status: &status) }
            do { try await output.write(Array(text.utf8)) } catch {
                finished.set()
                return -1
            }
        }
        finished.set()
        await output.finish(status: status)
        return status
    }

    static func line(_ item: RefSubscription.Item, status: inout Int32) -> String {
        switch item {
        case .keepAlive: return RefStreamLine.keepAlive + "\n"
        case .message(let message):
            if case .error = message { status = 1 }
            return RefStreamLine.format(message) + "\n"
        }
    }
}

/// Whether a watch session has finished (set once, read by the delayed close).
final class WatchSessionEnd: Sendable {
    private let state = Mutex(false)
    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}
