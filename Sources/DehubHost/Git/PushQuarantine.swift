import Foundation

/// The quarantine directory of a push: git's `receive-pack` keeps a pack it is receiving in
/// `objects/tmp_objdir-incoming-XXXXXX` (`objects/incoming-XXXXXX` in older git) until the hook accepts it,
/// and removes it itself when it ends, unless it is killed.
///
/// When the host stops a push (SIGTERM), git removes its quarantine itself. For what a SIGKILL leaves (a group
/// that ignored SIGTERM for a second), the host removes that push's quarantine, and only that one: the path is read
/// from the environment (`GIT_QUARANTINE_PATH`) of the processes of the push's own process group (git gives it
/// to `index-pack`/`unpack-objects` and to the hook) before they are killed. A concurrent push to the same
/// repository has its own group, so its quarantine is never taken for this one's (which a snapshot of the
/// directory before and after could not tell apart). A running push also learns its quarantine early from its
/// children, because a client that goes away can end git's input first: git then starts to remove the quarantine
/// itself, and the stop that follows can interrupt that removal when no child names the path any more.
/// Linux only (`/proc`); elsewhere the start-up sweep (`StaleFileSweeper`) removes what is left.
enum PushQuarantine {
    static let environmentName = "GIT_QUARANTINE_PATH"

    /// Whether an entry of `objects/` is a push quarantine.
    static func isQuarantineName(_ name: String) -> Bool {
        name.hasPrefix("tmp_objdir-incoming-") || name.hasPrefix("incoming-")
    }

    /// The quarantines under `repoPath/objects` named by the processes of group `group`.
    static func paths(usedByGroup group: pid_t, repoPath: String) -> [String] {
        named(by: ProcessTable.members(ofGroup: group), repoPath: repoPath)
    }

    /// The quarantines under `repoPath/objects` named by the children of `parent` (receive-pack's index-pack or
    /// hook): a cheap look, a few small reads, for a running push to learn its quarantine early.
    static func paths(usedByChildrenOf parent: pid_t, repoPath: String) -> [String] {
        named(by: ProcessTable.children(of: parent), repoPath: repoPath)
    }

    private static func named(by pids: [pid_t], repoPath: String) -> [String] {
        guard !pids.isEmpty, let objects = resolved(repoPath + "/objects").map({ $0 + "/" }) else { return [] }
        var found: Set<String> = []
        for pid in pids {
            guard let environment = ProcessTable.read("/proc/\(pid)/environ") else { continue }
            for entry in environment.split(separator: 0) {
                let text = String(decoding: entry, as: UTF8.self)
                guard text.hasPrefix(environmentName + "=") else { continue }
                guard let path = resolved(String(text.dropFirst(environmentName.count + 1))) else { continue }
                // Only a direct child of this repo's objects/ with a quarantine's name.
                guard path.hasPrefix(objects) else { continue }
                let name = String(path.dropFirst(objects.count))
                if !name.contains("/"), isQuarantineName(name) { found.insert(path) }
            }
        }
        return found.sorted()
    }

    /// The path with symbolic links and `..` resolved; nil when it does not exist.
    private static func resolved(_ path: String) -> String? {
        guard let pointer = realpath(path, nil) else { return nil }
        defer { free(pointer) }
        return String(cString: pointer)
    }

    /// Removes `paths` once no process of `group` is left (a killed process may still be on its way out);
    /// returns those removed.
    @discardableResult
    static func remove(_ paths: [String], afterGroupEnds group: pid_t, waitingAtMost wait: Duration = .seconds(2)) async
        -> [String]
    {
        guard !paths.isEmpty else { return [] }
        let deadline = ContinuousClock.now + wait
        while !ProcessTable.members(ofGroup: group).isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return paths.filter { (try? FileManager.default.removeItem(atPath: $0)) != nil }
    }
}

/// Reads of `/proc` (Linux); empty answers elsewhere.
enum ProcessTable {
    /// The live processes (zombies do nothing more) whose process group is `group`.
    static func members(ofGroup group: pid_t) -> [pid_t] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        return entries.compactMap { entry -> pid_t? in
            guard let pid = pid_t(entry), let stat = read("/proc/\(entry)/stat", limit: 4096) else { return nil }
            // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ')'.
            guard let close = stat.lastIndex(of: UInt8(ascii: ")")) else { return nil }
            let fields = stat[(close + 1)...].split(separator: UInt8(ascii: " "))
            guard fields.count > 2, fields[0] != [UInt8(ascii: "Z")],
                let pgrp = pid_t(String(decoding: fields[2], as: UTF8.self))
            else { return nil }
            return pgrp == group ? pid : nil
        }
    }

    /// The children of `pid` (its main thread's: git starts its children from it).
    static func children(of pid: pid_t) -> [pid_t] {
        guard let text = read("/proc/\(pid)/task/\(pid)/children", limit: 64 * 1024) else { return [] }
        return text.split(separator: UInt8(ascii: " ")).compactMap { pid_t(String(decoding: $0, as: UTF8.self)) }
    }

    /// The bytes of a `/proc` file (their size is not known in advance), at most `limit`.
    static func read(_ path: String, limit: Int = 1 << 20) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 8192)
        while bytes.count < limit {
            let count = Foundation.read(fd, &buffer, buffer.count)
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return bytes
    }
}
