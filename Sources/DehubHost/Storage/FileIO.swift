import Foundation

/// Small file helpers: atomic writes with a mode, and reads that turn errors into `HostError`s.
enum FileIO {
    /// Writes through a temporary file in the same directory and renames it into place,
    /// so that a crash never leaves a half-written file.
    static func writeAtomically(_ data: Data, to path: String, mode: Int) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = directory + "/.tmp-" + UUID().uuidString
        guard FileManager.default.createFile(atPath: temp, contents: data, attributes: [.posixPermissions: mode]) else {
            throw HostError(.io, "cannot write \(path)")
        }
        do {
            // createFile honours the umask; set the mode explicitly.
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temp)
            guard rename(temp, path) == 0 else { throw HostError(.io, "cannot rename \(temp) to \(path)") }
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }

    /// Copies `source` to `path` through a temporary file in the same directory and a rename, streaming
    /// (a 27 MiB hook binary is never held in memory).
    static func copyAtomically(_ source: String, to path: String, mode: Int) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = directory + "/.tmp-" + UUID().uuidString
        do {
            try FileManager.default.copyItem(atPath: source, toPath: temp)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: temp)
            guard rename(temp, path) == 0 else { throw HostError(.io, "cannot rename \(temp) to \(path)") }
        } catch let error as HostError {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw HostError(.io, "cannot copy \(source) to \(path): \(error.localizedDescription)")
        }
    }

    static func writeAtomically(_ text: String, to path: String, mode: Int) throws {
        try writeAtomically(Data(text.utf8), to: path, mode: mode)
    }

    static func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HostError(.io, "cannot read \(path)")
        }
        return data
    }

    static func readText(_ path: String) throws -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    static func makeDirectory(_ path: String, mode: Int = 0o755) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: mode])
        } catch {
            throw HostError(.io, "cannot create directory \(path): \(error.localizedDescription)")
        }
    }

    /// An absolute, standardized path for `path` (relative to the current directory).
    static func absolute(_ path: String) -> String {
        let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        return (full as NSString).standardizingPath
    }
}
