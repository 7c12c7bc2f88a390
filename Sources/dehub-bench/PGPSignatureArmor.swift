import DehubCore

/// The ASCII armour of an OpenPGP signature (RFC 4880 §6), as `gpg --armor --detach-sign` writes it.
enum PGPSignatureArmor {
    static func armor(_ signature: [UInt8]) -> String {
        let body = Array(Base64.encode(signature).utf8)
        var text = "-----BEGIN PGP SIGNATURE-----\n\n"
        var start = 0
        while start < body.count {
            let end = min(start + 64, body.count)
            text += String(decoding: body[start..<end], as: UTF8.self) + "\n"
            start = end
        }
        text += "=" + Base64.encode(crc24(signature)) + "\n-----END PGP SIGNATURE-----\n"
        return text
    }

    /// The 24-bit CRC of RFC 4880 §6.1, big-endian.
    static func crc24(_ bytes: [UInt8]) -> [UInt8] {
        var crc: UInt32 = 0xB7_04CE
        for byte in bytes {
            crc ^= UInt32(byte) << 16
            for _ in 0..<8 {
                crc <<= 1
                if crc & 0x100_0000 != 0 { crc ^= 0x186_4CFB }
            }
        }
        return [UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]
    }
}
