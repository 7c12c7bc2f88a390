import Crypto
import DehubTestSupport
import Foundation
import NIOCore
import NIOPosix
import NIOSSH
import Testing

extension EndToEnd {
    /// Attack: the admin's public key is public. An attacker's SSH client offers it, but can only sign
    /// with its own private key. OpenSSH's client refuses to send such a signature, so this test uses a
    /// nio-ssh client that does: it offers `publicKey` while signing with `signingKey`.
    @Suite("Forged public-key signatures")
    struct ForgedSignatureTests {
        @Test("an attacker offering the admin's public key but signing with its own is refused; the admin's own key works")
        func forgedSignatureRefused() async throws {
            let host = try HostFixture.start(createDemo: false)
            defer { host.stop() }
            let adminKey = Curve25519.Signing.PrivateKey()
            let adminPublic = NIOSSHPrivateKey(ed25519Key: adminKey).publicKey
            let line = String(openSSHPublicKey: adminPublic)
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: host.server.data + "/admins"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data((line + " in-process-admin\n").utf8))
            try handle.close()

            let genuine = try await ForgedKeyClient.exec(
                "whoami", port: host.server.sshPort, signingKey: NIOSSHPrivateKey(ed25519Key: adminKey), offeredKey: adminPublic)
            #expect(genuine?.contains("(admin)") == true)

            let attacker = NIOSSHPrivateKey(ed25519Key: Curve25519.Signing.PrivateKey())
            let forged = try await ForgedKeyClient.exec(
                "repo create pwned", port: host.server.sshPort, signingKey: attacker, offeredKey: adminPublic)
            #expect(forged == nil)
            #expect(!FileManager.default.fileExists(atPath: host.server.data + "/repos/pwned.git"))
        }
    }
}

/// A minimal nio-ssh client: one key offer, one exec, collects stdout; nil when authentication fails.
enum ForgedKeyClient {
    final class OneOffer: NIOSSHClientUserAuthenticationDelegate, @unchecked Sendable {
        var offer: NIOSSHUserAuthenticationOffer.Offer.PrivateKey?
        /// Set when the server answered our one offer with a failure (we are asked for another).
        var onRejected: (@Sendable () -> Void)?
        init(_ offer: NIOSSHUserAuthenticationOffer.Offer.PrivateKey) { self.offer = offer }
        func nextAuthenticationType(
            availableMethods: NIOSSHAvailableUserAuthenticationMethods,
            nextChallengePromise: EventLoopPromise<NIOSSHUserAuthenticationOffer?>
        ) {
            guard let offer else {
                onRejected?()
                return nextChallengePromise.succeed(nil)
            }
            self.offer = nil
            nextChallengePromise.succeed(.init(username: "git", serviceName: "", offer: .privateKey(offer)))
        }
    }

    final class AnyHostKey: NIOSSHClientServerAuthenticationDelegate, Sendable {
        func validateHostKey(hostKey: NIOSSHPublicKey, validationCompletePromise: EventLoopPromise<Void>) {
            validationCompletePromise.succeed(())
        }
    }

    /// Completes a promise once; later results are dropped.
    final class Once: @unchecked Sendable {
        private let lock = NSLock()
        private var completed = false
        let promise: EventLoopPromise<String>
        init(_ promise: EventLoopPromise<String>) { self.promise = promise }
        func succeed(_ value: String) { if first() { promise.succeed(value) } }
        func fail(_ error: any Error) { if first() { promise.fail(error) } }
        private func first() -> Bool { lock.lock(); defer { lock.unlock() }; defer { completed = true }; return !completed }
    }

    /// A failed authentication surfaces as an error: close, which fails the pending result.
    final class CloseOnError: ChannelInboundHandler, Sendable {
        typealias InboundIn = Any
        func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
    }

    final class Collector: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = SSHChannelData
        var text = ""
        let done: Once
        init(done: Once) { self.done = done }
        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let message = unwrapInboundIn(data)
            if case .channel = message.type, case .byteBuffer(let buffer) = message.data {
                text += String(buffer: buffer)
            }
        }
        func channelInactive(context: ChannelHandlerContext) { done.succeed(text) }
    }

    static func exec(_ command: String, port: Int, signingKey: NIOSSHPrivateKey, offeredKey: NIOSSHPublicKey) async throws
        -> String?
    {
        var offer = NIOSSHUserAuthenticationOffer.Offer.PrivateKey(privateKey: signingKey)
        offer.publicKey = offeredKey
        let delegate = OneOffer(offer)
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSHHandler(
                            role: .client(.init(userAuthDelegate: delegate, serverAuthDelegate: AnyHostKey())),
                            allocator: channel.allocator, inboundChildChannelInitializer: nil))
                    try channel.pipeline.syncOperations.addHandler(CloseOnError())
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        defer { channel.close(promise: nil) }
        let done = Once(channel.eventLoop.makePromise(of: String.self))
        channel.eventLoop.execute { delegate.onRejected = { done.fail(HostTestError("authentication refused")) } }
        let opened: EventLoopFuture<any Channel> = channel.pipeline.handler(type: NIOSSHHandler.self).flatMap { ssh in
            let promise = channel.eventLoop.makePromise(of: (any Channel).self)
            ssh.createChannel(promise, channelType: .session) { child, _ in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Collector(done: done))
                }
            }
            return promise.futureResult
        }
        let timeout = channel.eventLoop.scheduleTask(in: .seconds(20)) { done.fail(HostTestError("timed out")) }
        defer { timeout.cancel() }
        channel.closeFuture.whenComplete { _ in done.fail(HostTestError("connection closed")) }
        opened.whenComplete { result in
            switch result {
            case .success(let child):
                child.triggerUserOutboundEvent(SSHChannelRequestEvent.ExecRequest(command: command, wantReply: true))
                    .whenFailure { done.fail($0) }
            case .failure(let error):
                done.fail(error)
            }
        }
        return try? await done.promise.futureResult.get()
    }
}
