import CGPGME

/// One gpgme context for the OpenPGP protocol, bound to a GnuPG home and set offline
/// (no keyserver or CRL lookups). Not shared between threads.
final class GPGMEContext {
    private let context: gpgme_ctx_t

    /// gpgme must be initialised once per process before any other call.
    private static let libraryVersion: String? = gpgme_check_version(nil).map { String(cString: $0) }

    init(gnupgHome: String?) throws {
        guard Self.libraryVersion != nil else { throw GPGMEFailure("gpgme could not be initialised") }
        try Self.check(gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP), "gpg is not available (install GnuPG)")
        var context: gpgme_ctx_t?
        try Self.check(gpgme_new(&context), "gpgme could not create a context")
        guard let context else { throw GPGMEFailure("gpgme could not create a context") }
        self.context = context
        try Self.check(gpgme_set_protocol(context, GPGME_PROTOCOL_OpenPGP), "gpgme does not support OpenPGP")
        if let gnupgHome {
            try Self.check(
                gpgme_ctx_set_engine_info(context, GPGME_PROTOCOL_OpenPGP, nil, gnupgHome), "cannot use GnuPG home \(gnupgHome)")
        }
        gpgme_set_offline(context, 1)
    }

    deinit { gpgme_release(context) }

    /// Keys matching `pattern` (key id, fingerprint or user id); with `secretOnly`, only those with a secret part.
    func keys(matching pattern: String?, secretOnly: Bool) throws -> [GPGMEKey] {
        try Self.check(gpgme_op_keylist_start(context, pattern, secretOnly ? 1 : 0), "cannot list keys")
        defer { gpgme_op_keylist_end(context) }
        var keys: [GPGMEKey] = []
        while true {
            var key: gpgme_key_t?
            let error = gpgme_op_keylist_next(context, &key)
            if gpgme_err_code(error) == GPG_ERR_EOF { break }
            try Self.check(error, "cannot list keys")
            if let key { keys.append(GPGMEKey(key)) }
        }
        return keys
    }

    /// A detached binary signature of `message` by `signer`.
    func detachedSignature(of message: [UInt8], by signer: GPGMEKey) throws -> [UInt8] {
        gpgme_set_armor(context, 0)
        gpgme_set_textmode(context, 0)
        gpgme_signers_clear(context)
        defer { gpgme_signers_clear(context) }
        try Self.check(gpgme_signers_add(context, signer.key), "cannot use key \(signer.keyID) for signing")
        return try message.withUnsafeBufferPointer { buffer in
            var plain: gpgme_data_t?
            try buffer.withMemoryRebound(to: CChar.self) {
                try Self.check(gpgme_data_new_from_mem(&plain, $0.baseAddress, $0.count, 0), "gpgme could not read the message")
            }
            defer { gpgme_data_release(plain) }
            let output = try GPGMEOutput()
            try Self.check(
                gpgme_op_sign(context, plain, output.data, GPGME_SIG_MODE_DETACH), "signing with key \(signer.keyID) failed")
            if let result = gpgme_op_sign_result(context), result.pointee.invalid_signers != nil {
                throw GPGMEFailure("signing with key \(signer.keyID) failed: gpg refused the key")
            }
            return output.take()
        }
    }

    /// The armoured public keys matching `pattern`; empty when none matched.
    func exportArmored(_ pattern: String) throws -> String {
        gpgme_set_armor(context, 1)
        let output = try GPGMEOutput()
        try Self.check(gpgme_op_export(context, pattern, 0, output.data), "cannot export key \(pattern)")
        return String(decoding: output.take(), as: UTF8.self)
    }

    static func check(_ error: gpgme_error_t, _ message: @autoclosure () -> String) throws {
        guard gpgme_err_code(error) != GPG_ERR_NO_ERROR else { return }
        let detail = gpgme_strerror(error).map { String(cString: $0) } ?? "error \(error)"
        throw GPGMEFailure("\(message()): \(detail)")
    }
}

/// A memory buffer that gpgme writes into.
private final class GPGMEOutput {
    private(set) var data: gpgme_data_t?

    init() throws {
        try GPGMEContext.check(gpgme_data_new(&data), "gpgme could not allocate a buffer")
    }

    /// The bytes written; the buffer is released.
    func take() -> [UInt8] {
        var length = 0
        guard let memory = gpgme_data_release_and_get_mem(data, &length) else { data = nil; return [] }
        data = nil
        defer { gpgme_free(memory) }
        return memory.withMemoryRebound(to: UInt8.self, capacity: length) { Array(UnsafeBufferPointer(start: $0, count: length)) }
    }

    deinit { if data != nil { gpgme_data_release(data) } }
}

/// A key listed by gpgme (holds a reference until released).
final class GPGMEKey {
    let key: gpgme_key_t

    init(_ key: gpgme_key_t) { self.key = key }
    deinit { gpgme_key_unref(key) }

    /// Long key id of the primary key (16 upper-case hex digits).
    var keyID: String { key.pointee.subkeys.flatMap { $0.pointee.keyid.map { String(cString: $0).uppercased() } } ?? "?" }
    var fingerprint: String { key.pointee.subkeys.flatMap { $0.pointee.fpr.map { String(cString: $0).uppercased() } } ?? "?" }
    /// Not revoked, expired, disabled or invalid, and able to sign.
    var canSign: Bool {
        let key = key.pointee
        return key.revoked == 0 && key.expired == 0 && key.disabled == 0 && key.invalid == 0 && key.can_sign != 0
    }
}
