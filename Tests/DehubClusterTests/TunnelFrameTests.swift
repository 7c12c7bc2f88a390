import Testing

@testable import DehubCluster

@Suite("SSH tunnel frames: every split of the stream decodes the same; bad frames are refused before buffering")
struct TunnelFrameTests {
    static let frames: [TunnelFrame] = [
        .data(Array("0032want 1234\n".utf8)), .keepalive, .stderr(Array("remote: hi\n".utf8)), .data([]), .exit(1), .exit(-1),
        .exit(0),
    ]

    @Test("frames decode back whatever the chunk size")
    func roundTrip() throws {
        let stream = Self.frames.flatMap(\.encoded)
        for size in [1, 2, 3, 5, 7, 64, stream.count] {
            var decoder = TunnelFrameDecoder()
            var decoded: [TunnelFrame] = []
            var start = 0
            while start < stream.count {
                let end = min(start + size, stream.count)
                decoded += try decoder.feed(stream[start..<end])
                start = end
            }
            try decoder.finish()
            #expect(decoded == Self.frames, "chunks of \(size)")
        }
    }

    @Test("large data is split into frames under the limit")
    func chunked() throws {
        let bytes = [UInt8](repeating: 7, count: TunnelFrame.maxPayload * 2 + 3)
        var decoder = TunnelFrameDecoder()
        let frames = try decoder.feed(TunnelFrame.data(chunked: bytes))
        #expect(frames.count == 3)
        var joined: [UInt8] = []
        for frame in frames { if case .data(let b) = frame { joined += b } }
        #expect(joined == bytes)
    }

    @Test("unknown kinds, oversized frames, bad exits and a cut stream are refused")
    func refused() {
        var decoder = TunnelFrameDecoder()
        #expect(throws: TunnelFrameError.unknownKind(9)) { try decoder.feed([9, 0, 0, 0, 0]) }
        decoder = TunnelFrameDecoder()
        #expect(throws: TunnelFrameError.tooLarge(0x7fff_ffff)) { try decoder.feed([1, 0x7f, 0xff, 0xff, 0xff]) }
        decoder = TunnelFrameDecoder()
        #expect(throws: TunnelFrameError.badExit(2)) { try decoder.feed([3, 0, 0, 0, 2, 0, 0]) }
        decoder = TunnelFrameDecoder()
        #expect(throws: TunnelFrameError.tooLarge(1)) { try decoder.feed([0, 0, 0, 0, 1, 0]) }
        decoder = TunnelFrameDecoder()
        #expect((try? decoder.feed([1, 0, 0, 0, 4, 65])) == [])
        #expect(throws: TunnelFrameError.truncated(6)) { try decoder.finish() }
    }
}
