import Foundation

/// The host's small JSON state files (lineage, mirror spec and state): sorted keys, bounded reads, atomic writes.
enum JSONFile {
    static let maxBytes = 1024 * 1024

    static func load<T: Decodable>(_ type: T.Type, from path: String) throws -> T? {
        guard FileIO.exists(path) else { return nil }
        let data = try FileIO.read(path)
        guard data.count <= maxBytes else { throw HostError(.config, "\(path) is larger than \(maxBytes) bytes") }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw HostError(.config, "\(path) does not decode: \(error)")
        }
    }

    static func encode<T: Encodable>(_ value: T, pretty: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting =
            pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func save<T: Encodable>(_ value: T, to path: String, mode: Int = 0o644) throws {
        try FileIO.writeAtomically(try encode(value) + Data("\n".utf8), to: path, mode: mode)
    }
}
