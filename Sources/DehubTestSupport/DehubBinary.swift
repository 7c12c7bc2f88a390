import Foundation

/// Finds the built `dehub` executable for end-to-end tests.
///
/// In order: `DEHUB_BINARY` (an explicit path, e.g. the static build), the directory of the running test bundle
/// (`swift build` puts `dehub` next to `dehubPackageTests.xctest`), then `.build/debug/dehub` above this source file.
public enum DehubBinary {
    public static let path: String? = locate()

    /// The path, or an error that says how to build it.
    public static func require() throws -> String {
        guard let path else {
            throw DehubBinaryMissing(
                description: "the dehub executable was not found next to the test bundle; run `swift build --build-tests` "
                    + "(or set DEHUB_BINARY=/path/to/dehub)")
        }
        return path
    }

    private static func locate() -> String? {
        let files = FileManager.default
        var candidates: [String] = []
        if let explicit = ProcessInfo.processInfo.environment["DEHUB_BINARY"], !explicit.isEmpty {
            candidates.append(explicit)
        }
        for executable in [CommandLine.arguments.first, selfExecutable()].compactMap({ $0 }) {
            var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
            // On macOS the bundle's executable is nested in Contents/MacOS; on Linux the bundle is the executable.
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("dehub").path)
                directory = directory.deletingLastPathComponent()
            }
        }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(".build/debug/dehub").path)
        return candidates.first { candidate in
            var isDirectory: ObjCBool = false
            return files.fileExists(atPath: candidate, isDirectory: &isDirectory) && !isDirectory.boolValue
                && files.isExecutableFile(atPath: candidate)
        }.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
    }

    private static func selfExecutable() -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    }
}

/// The dehub executable is not built.
public struct DehubBinaryMissing: Error, CustomStringConvertible {
    public var description: String
}
