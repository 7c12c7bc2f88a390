import DehubCore

/// The packets of one transferable public key (RFC 9580 §10.1), grouped by what each signature is about.
/// Grouping only: nothing here is verified yet.
struct OpenPGPCertificatePackets {
    struct UserID {
        var bytes: [UInt8]
        var signatures: [OpenPGPSignature] = []
    }

    struct Subkey {
        var key: OpenPGPKeyPacket
        var signatures: [OpenPGPSignature] = []
    }

    var primary: OpenPGPKeyPacket
    /// Signatures directly on the primary key: direct-key signatures and key revocations.
    var directSignatures: [OpenPGPSignature] = []
    var userIDs: [UserID] = []
    var subkeys: [Subkey] = []

    /// Upper bound on packets in one key block, against blocks built to waste time.
    static let maximumPackets = 10_000

    /// Groups a packet sequence that may hold several keys, one after the other.
    static func group(_ packets: [OpenPGPPacket]) throws -> [OpenPGPCertificatePackets] {
        guard packets.count <= maximumPackets else {
            throw SignatureFailure("OpenPGP key block has too many packets (over \(maximumPackets))")
        }
        var certificates: [OpenPGPCertificatePackets] = []
        /// Where the next signature goes; nil while it belongs to something dehub skips (a user attribute).
        enum Target { case direct, userID, subkey, skipped }
        var target = Target.direct
        for packet in packets {
            switch OpenPGPPacket.Tag(rawValue: packet.tag) {
            case .publicKey:
                certificates.append(OpenPGPCertificatePackets(primary: try OpenPGPKeyPacket(body: packet.body)))
                target = .direct
                continue
            case .secretKey, .secretSubkey:
                throw SignatureFailure("this is a secret key; give the public key instead (gpg --export --armor KEY)")
            case .marker, .trust:
                continue
            default:
                break
            }
            guard var current = certificates.popLast() else {
                throw SignatureFailure("malformed OpenPGP key: the block does not start with a public key packet")
            }
            defer { certificates.append(current) }
            switch OpenPGPPacket.Tag(rawValue: packet.tag) {
            case .userID:
                current.userIDs.append(UserID(bytes: packet.body))
                target = .userID
            case .userAttribute:
                target = .skipped
            case .publicSubkey:
                current.subkeys.append(Subkey(key: try OpenPGPKeyPacket(body: packet.body)))
                target = .subkey
            case .signature:
                // Signatures dehub cannot read (v3, v5, v6, malformed) are left out: they could never verify.
                guard let signature = try? OpenPGPSignature(body: packet.body) else { continue }
                switch target {
                case .direct: current.directSignatures.append(signature)
                case .userID: current.userIDs[current.userIDs.count - 1].signatures.append(signature)
                case .subkey: current.subkeys[current.subkeys.count - 1].signatures.append(signature)
                case .skipped: break
                }
            default:
                throw SignatureFailure("malformed OpenPGP key: unexpected packet (tag \(packet.tag)) in a public key")
            }
        }
        guard !certificates.isEmpty else { throw SignatureFailure("malformed OpenPGP key: no public key packet") }
        return certificates
    }
}
