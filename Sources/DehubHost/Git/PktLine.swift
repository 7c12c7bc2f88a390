/// Git's pkt-line framing: four hex digits of length (including themselves), then the payload.
public enum PktLine {
    public static let flush: [UInt8] = Array("0000".utf8)

    public static func encode(_ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let length = payload.count + 4
        let hex = String(length, radix: 16)
        return Array((String(repeating: "0", count: max(0, 4 - hex.count)) + hex).utf8) + payload
    }

    /// An `ERR` packet: git prints `fatal: remote error: MESSAGE` and stops.
    public static func error(_ message: String) -> [UInt8] { encode("ERR " + message + "\n") }
}
