import DehubCore

/// One OpenPGP packet: its tag and its body.
struct OpenPGPPacket {
    enum Tag: UInt8 {
        case signature = 2
        case secretKey = 5
        case publicKey = 6
        case secretSubkey = 7
        case marker = 10
        case trust = 12
        case userID = 13
        case publicSubkey = 14
        case userAttribute = 17
    }

    var tag: UInt8
    var body: [UInt8]

    /// Splits a binary OpenPGP message into packets (RFC 9580 §4.2). Old and new headers are read;
    /// partial and indeterminate lengths are refused (keys and signatures never use them), and every
    /// length is checked against the bytes that are left.
    static func split(_ bytes: [UInt8], context: String) throws -> [OpenPGPPacket] {
        var reader = OpenPGPByteReader(bytes, context: context)
        var packets: [OpenPGPPacket] = []
        while !reader.isAtEnd {
            let header = try reader.u8()
            guard header & 0x80 != 0 else {
                throw SignatureFailure("malformed OpenPGP \(context): not an OpenPGP packet (byte 0x\(openPGPHex(header)))")
            }
            let tag: UInt8
            let length: Int
            if header & 0x40 != 0 {
                tag = header & 0x3F
                length = try newFormatLength(&reader)
            } else {
                tag = (header >> 2) & 0x0F
                switch header & 0x03 {
                case 0: length = Int(try reader.u8())
                case 1: length = try reader.u16()
                case 2: length = Int(try reader.u32())
                default:
                    throw SignatureFailure("malformed OpenPGP \(context): packets of indeterminate length are not accepted")
                }
            }
            guard tag != 0 else { throw SignatureFailure("malformed OpenPGP \(context): packet tag 0 is reserved") }
            packets.append(OpenPGPPacket(tag: tag, body: try reader.bytes(length)))
        }
        return packets
    }

    private static func newFormatLength(_ reader: inout OpenPGPByteReader) throws -> Int {
        let first = Int(try reader.u8())
        switch first {
        case 0..<192:
            return first
        case 192..<224:
            return (first - 192) << 8 + Int(try reader.u8()) + 192
        case 255:
            return Int(try reader.u32())
        default:
            throw SignatureFailure("malformed OpenPGP \(reader.context): partial body lengths are not accepted here")
        }
    }
}

/// Upper-case hex of bytes.
func openPGPHex(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out: [UInt8] = []
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}

func openPGPHex(_ byte: UInt8) -> String { openPGPHex([byte]) }
