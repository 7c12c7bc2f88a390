import Crypto
import Testing

@testable import DehubCore

/// The verdict cache (format §9.3): a key per exact question, a file that is all or nothing, and an engine that
/// only ever answers "verified" from it for the same commit, branch, update, trees and limits, and only when the
/// commit's objects are there. Every tampered, truncated or foreign file or entry is at most a miss.
@Suite struct VerdictCacheTests {
    typealias H = VerifierHarness

    static let base = VerdictKey.Inputs(
        commit: ObjectID(hex: "1111111111111111111111111111111111111111")!,
        tree: ObjectID(hex: "3333333333333333333333333333333333333333")!, branch: "main", nonFastForward: false,
        governingTree: ObjectID(hex: "2222222222222222222222222222222222222222")!, limits: .default)

    static func key(_ n: Int) -> VerdictKey {
        VerdictKey(digest: Array(SHA256.hash(data: Array("key \(n)".utf8))))!
    }

    final class MemoryStore: VerdictCacheStoring, @unchecked Sendable {
        var bytes: [UInt8]?
        var writes = 0
        init(_ bytes: [UInt8]? = nil) { self.bytes = bytes }
        func read(limit: Int) -> [UInt8]? { bytes.flatMap { $0.count <= limit ? $0 : nil } }
        func write(_ bytes: [UInt8]) throws {
            self.bytes = bytes
            writes += 1
        }
    }

    // MARK: keys

    @Test func everyInputChangesTheKey() {
        let other = ObjectID(hex: "4444444444444444444444444444444444444444")!
        var variants: [VerdictKey.Inputs] = []
        func vary(_ change: (inout VerdictKey.Inputs) -> Void) {
            var v = Self.base
            change(&v)
            variants.append(v)
        }
        vary { $0.commit = other }
        vary { $0.branch = "thread" }
        vary { $0.branch = "main " }
        vary { $0.nonFastForward = true }
        vary { $0.governingTree = other }
        vary { $0.tree = other }
        vary { $0.governingTree = $0.tree }
        vary { $0.limits.maxMessageBytes += 1 }
        vary { $0.limits.maxTextBytes += 1 }
        vary { $0.limits.maxCredentials += 1 }
        vary { $0.limits.maxSignatureBytes += 1 }
        vary { $0.limits.maxPublicKeyBytes += 1 }
        let keys = ([Self.base] + variants).map(VerdictKey.init)
        #expect(Set(keys).count == keys.count)
        #expect(VerdictKey(Self.base) == VerdictKey(Self.base))
        #expect(VerdictKey(Self.base).bytes.count == 32)
    }

    /// The key is the digest format §9.3 describes, byte for byte (written out here the plain way), so that the
    /// caches written by earlier builds of the same layout keep answering.
    @Test func theKeyIsTheDocumentedDigest() {
        func plain(_ inputs: VerdictKey.Inputs) -> [UInt8] {
            var stream: [UInt8] = []
            func add(_ part: [UInt8]) {
                withUnsafeBytes(of: UInt64(part.count).littleEndian) { stream += $0 }
                stream += part
            }
            func add(_ n: Int) { withUnsafeBytes(of: Int64(n).littleEndian) { stream += $0 } }
            add(Array("dehub verdict 2".utf8))
            add(Int(VerdictKey.rulesVersion))
            add(inputs.commit.bytes)
            add(inputs.tree.bytes)
            add(Array(inputs.branch.utf8))
            add(inputs.nonFastForward ? [1] : [0])
            add(inputs.governingTree.bytes)
            let l = inputs.limits
            for n in [l.maxMessageBytes, l.maxTextBytes, l.maxCredentials, l.maxSignatureBytes, l.maxPublicKeyBytes] { add(n) }
            return Array(SHA256.hash(data: stream))
        }
        var variants = [Self.base]
        var other = Self.base
        other.tree = ObjectID(hex: "5555555555555555555555555555555555555555")!
        other.nonFastForward = true
        other.branch = "threads/é"
        variants.append(other)
        for inputs in variants { #expect(VerdictKey(inputs).bytes == plain(inputs)) }
    }

    @Test func aDigestIsThirtyTwoBytes() {
        #expect(VerdictKey(digest: []) == nil)
        #expect(VerdictKey(digest: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(VerdictKey(digest: [UInt8](repeating: 1, count: 33)) == nil)
    }

    // MARK: the file

    @Test func fileRoundTrip() {
        let keys = (0..<100).map(Self.key)
        #expect(VerdictCacheFile.decode(VerdictCacheFile.encode(keys)) == keys)
        #expect(VerdictCacheFile.decode(VerdictCacheFile.encode([])) == [])
        #expect(VerdictCacheFile.encode([Self.key(1)]).count == 17 + 4 + 32 + 32)
    }

    /// A file cut short anywhere (a crash while writing, a full disk) is no cache at all.
    @Test func truncatedFileIsNoCache() {
        let file = VerdictCacheFile.encode((0..<3).map(Self.key))
        for length in 0..<file.count {
            #expect(VerdictCacheFile.decode(Array(file.prefix(length))) == nil, "length \(length)")
        }
        #expect(VerdictCacheFile.decode(file + [0]) == nil)
    }

    /// Any byte changed anywhere (header, count, a key, the checksum) makes the whole file no cache.
    @Test func everyFlippedByteIsNoCache() {
        let file = VerdictCacheFile.encode((0..<3).map(Self.key))
        for i in file.indices {
            var bad = file
            bad[i] ^= 0x01
            #expect(VerdictCacheFile.decode(bad) == nil, "byte \(i)")
        }
    }

    @Test func otherVersionIsNoCache() {
        let keys = (0..<3).map(Self.key)
        var body = Array("dehub verdicts 2\n".utf8) + [0, 0, 0, 3]
        for k in keys { body += k.bytes }
        body += SHA256.hash(data: body)
        #expect(VerdictCacheFile.decode(body) == nil)
        #expect(VerdictCache(file: body).loadedCount == 0)
        #expect(VerdictCache(file: Array("garbage".utf8)).loadedCount == 0)
        #expect(VerdictCache(file: nil).loadedCount == 0)
    }

    @Test func countBeyondTheBoundIsNoCache() {
        let n = VerdictCacheFile.maxEntries + 1
        var body = VerdictCacheFile.magic + [UInt8(n >> 24), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]
        body += SHA256.hash(data: body)
        #expect(VerdictCacheFile.decode(body) == nil)
    }

    /// The file is bounded: beyond `maxEntries` the oldest keys go.
    @Test func encodingKeepsTheNewestWithinTheBound() {
        let keys = (0..<(VerdictCacheFile.maxEntries + 2)).map(Self.key)
        let decoded = VerdictCacheFile.decode(VerdictCacheFile.encode(keys))
        #expect(decoded?.count == VerdictCacheFile.maxEntries)
        #expect(decoded?.first == keys[2])
        #expect(decoded?.last == keys.last)
        #expect(VerdictCacheFile.encode(keys).count == VerdictCacheFile.maxBytes)
    }

    // MARK: the cache

    @Test func recordsOnlyWhatIsNewAndSavesOnlyThen() throws {
        let store = MemoryStore(VerdictCacheFile.encode([Self.key(1)]))
        let cache = VerdictCache(store: store)
        #expect(cache.contains(Self.key(1)))
        #expect(!cache.contains(Self.key(2)))
        cache.record(Self.key(1))
        #expect(try cache.save(to: store) == false)
        cache.record(Self.key(2))
        cache.record(Self.key(2))
        #expect(cache.recordedCount == 1)
        #expect(try cache.save(to: store))
        #expect(VerdictCacheFile.decode(store.bytes!) == [Self.key(1), Self.key(2)])
        // --no-cache: nothing is answered, passes are still recorded
        let blind = VerdictCache(store: store, answers: false)
        #expect(!blind.contains(Self.key(1)))
    }

    // MARK: the engine

    func verifier(_ h: H, _ cache: VerdictCache, limits: PayloadLimits = .default) -> CommitVerifier {
        CommitVerifier(repository: h.repo, signatures: FakeSignatures(), limits: limits, cache: cache)
    }

    /// A pass is recorded, written, and answered by the next run without checking again.
    @Test func aPassIsAnsweredByTheNextRun() throws {
        let h = H()
        let root = h.root()
        let c = h.change(parent: root, tree: H.edit(H.rootTree, ["README.md": "v2\n"]), signers: [.carol])
        let store = MemoryStore()
        let first = VerdictCache(store: store)
        for id in [root, c] {
            let v = verifier(h, first).verify(id, branch: "main", nonFastForward: false)
            #expect(v.isVerified && !v.cached)
        }
        #expect(first.recordedCount == 2)
        try first.save(to: store)

        let second = VerdictCache(store: store)
        for id in [root, c] {
            let v = verifier(h, second).verify(id, branch: "main", nonFastForward: false)
            #expect(v.isVerified && v.cached)
            #expect(v.head == h.repo.commits[id]!.head)
        }
        #expect(second.recordedCount == 0)
        #expect(try second.save(to: store) == false)
        #expect(store.writes == 1)
    }

    /// Refusals are never recorded: a refused commit is checked (and explained) every time.
    @Test func refusalsAreNeverRecorded() {
        let h = H()
        let root = h.root()
        let comment = h.comment(parent: root, "looks good", signers: [.carol])
        let cache = VerdictCache(file: nil)
        let v = verifier(h, cache).verify(comment, branch: "main", nonFastForward: false)
        #expect(!v.isVerified)
        #expect(cache.recordedCount == 0)
    }

    /// Attack: a pass recorded for one question (a comment on a thread, which the defaults allow) is offered as the
    /// answer to another (the same comment on main, which they deny), and for a non-fast-forward update, and under
    /// smaller limits. Each is a different key: the commit is checked again and refused where it must be.
    @Test func aPassForAnotherQuestionIsAMiss() throws {
        let h = H()
        let root = h.root()
        let comment = h.comment(parent: root, "looks good", signers: [.carol])
        let store = MemoryStore()
        let first = VerdictCache(store: store)
        #expect(verifier(h, first).verify(comment, branch: "thread", nonFastForward: false).isVerified)
        try first.save(to: store)

        let second = VerdictCache(store: store)
        let onMain = verifier(h, second).verify(comment, branch: "main", nonFastForward: false)
        #expect(!onMain.isVerified && !onMain.cached)
        #expect(onMain.rejection?.check == .accessControls)
        let rewound = verifier(h, second).verify(comment, branch: "thread", nonFastForward: true)
        #expect(!rewound.cached)
        let smaller = verifier(h, second, limits: PayloadLimits(maxTextBytes: 4)).verify(
            comment, branch: "thread", nonFastForward: false)
        #expect(!smaller.isVerified && !smaller.cached)
        #expect(smaller.rejection?.check == .payload)
        let same = verifier(h, second).verify(comment, branch: "thread", nonFastForward: false)
        #expect(same.isVerified && same.cached)
    }

    /// Attack: the cache file is edited so that it holds, with a valid checksum, keys for questions whose answer is
    /// "refused" (every key a pass could have next to it: the byte-flipped key of a real pass, and random keys).
    /// None of them is the key of the refused question, so the commit is still refused.
    @Test func tamperedEntriesAreNeverAPass() throws {
        let h = H()
        let root = h.root()
        let comment = h.comment(parent: root, "looks good", signers: [.carol])
        let store = MemoryStore()
        let first = VerdictCache(store: store)
        #expect(verifier(h, first).verify(comment, branch: "thread", nonFastForward: false).isVerified)
        try first.save(to: store)
        var keys = VerdictCacheFile.decode(store.bytes!)!
        for i in 0..<32 {
            var flipped = keys[0].bytes
            flipped[i] ^= 0x80
            keys.append(VerdictKey(digest: flipped)!)
        }
        keys += (0..<100).map(Self.key)
        let tampered = VerdictCache(file: VerdictCacheFile.encode(Array(keys.dropFirst())))
        let v = verifier(h, tampered).verify(comment, branch: "thread", nonFastForward: false)
        #expect(v.isVerified && !v.cached)
        let onMain = verifier(h, tampered).verify(comment, branch: "main", nonFastForward: false)
        #expect(!onMain.isVerified)
    }

    /// A recorded pass is never an answer for a commit whose objects are gone: the commit, its parent, the parent's
    /// tree (the governing config) or its own tree.
    @Test func missingObjectsAreNeverAPass() throws {
        let h = H()
        let root = h.root()
        let c = h.change(parent: root, tree: H.edit(H.rootTree, ["README.md": "v2\n"]), signers: [.carol])
        let store = MemoryStore()
        let first = VerdictCache(store: store)
        #expect(verifier(h, first).verify(c, branch: "main", nonFastForward: false).isVerified)
        try first.save(to: store)
        let info = h.repo.commits[c]!
        for gone in [c, root, h.repo.commits[root]!.tree, info.tree] {
            h.repo.missing = [gone]
            let v = verifier(h, VerdictCache(store: store)).verify(c, branch: "main", nonFastForward: false)
            #expect(!v.isVerified && !v.cached, "with \(gone) missing")
        }
        h.repo.missing = []
        #expect(verifier(h, VerdictCache(store: store)).verify(c, branch: "main", nonFastForward: false).cached)
    }

    /// `cachedVerdict` answers hits only: nil on a miss, under `--no-cache`, or for a commit it cannot even read.
    @Test func cachedVerdictAnswersHitsOnly() throws {
        let h = H()
        let root = h.root()
        let c = h.change(parent: root, tree: H.edit(H.rootTree, ["README.md": "v2\n"]), signers: [.carol])
        let store = MemoryStore()
        let first = VerdictCache(store: store)
        #expect(verifier(h, first).cachedVerdict(c, branch: "main", nonFastForward: false) == nil)
        #expect(verifier(h, first).verify(c, branch: "main", nonFastForward: false).isVerified)
        try first.save(to: store)
        let hit = verifier(h, VerdictCache(store: store)).cachedVerdict(c, branch: "main", nonFastForward: false)
        #expect(hit?.isVerified == true && hit?.cached == true)
        #expect(
            verifier(h, VerdictCache(store: store, answers: false)).cachedVerdict(c, branch: "main", nonFastForward: false) == nil
        )
        #expect(verifier(h, VerdictCache(store: store)).cachedVerdict(root, branch: "main", nonFastForward: false) == nil)
        h.repo.missing = [c]
        #expect(verifier(h, VerdictCache(store: store)).cachedVerdict(c, branch: "main", nonFastForward: false) == nil)
    }

    /// A verifier that reads a commit right after its parent takes the parent's tree from that read; verifying in
    /// any other order gives the same verdicts.
    @Test func verdictsDoNotDependOnTheOrder() {
        let h = H()
        let root = h.root()
        let a = h.change(parent: root, tree: H.edit(H.rootTree, ["a": "1\n"]), signers: [.carol])
        let b = h.change(
            parent: a, tree: H.edit(H.rootTree, ["a": "1\n", ".dehub/config.yml": "accounts: []\n"]), signers: [.carol])
        let sibling = h.change(parent: root, tree: H.edit(H.rootTree, ["s": "1\n"]), signers: [.carol])
        let ids = [root, a, b, sibling]
        let inOrder = CommitVerifier(repository: h.repo, signatures: FakeSignatures())
        let expected = ids.map { inOrder.verify($0, branch: "main", nonFastForward: false) }
        #expect(expected.map(\.isVerified) == [true, true, false, true])
        for order in [[3, 2, 1, 0], [2, 0, 3, 1], [1, 3, 2, 0]] {
            let other = CommitVerifier(repository: h.repo, signatures: FakeSignatures())
            for i in order {
                #expect(other.verify(ids[i], branch: "main", nonFastForward: false) == expected[i], "order \(order)")
            }
        }
    }

    /// Changed config: a commit on a parent whose `.dehub` differs is judged under that config (its key names the
    /// parent's tree), and the config's identity, which the loader caches by, is the `.dehub` directory.
    @Test func theConfigIdentityIsTheDehubDirectory() throws {
        let h = H()
        let root = h.root()
        let loader = ConfigLoader(repository: h.repo)
        let tree = h.repo.commits[root]!.tree
        let (directory, result) = try loader.loadWithIdentity(tree: tree)
        #expect(directory == (try h.repo.entryID(at: ".dehub", inTree: tree)))
        #expect(directory != nil)
        if case .failure = result { Issue.record("the root's config should load") }
        let edited = h.repo.addTree(H.edit(H.rootTree, [".dehub/dave.pub": "ssh-ed25519 REFWRQ dave@other\n"]))
        #expect(try loader.loadWithIdentity(tree: edited).directory != directory)
        let unrelated = h.repo.addTree(H.edit(H.rootTree, ["README.md": "other\n"]))
        #expect(try loader.loadWithIdentity(tree: unrelated).directory == directory)
    }

    // MARK: answering a first-parent walk's links

    func links(_ h: H, _ ids: [ObjectID]) -> [HistoryLink] {
        ids.map { id in
            let commit = h.repo.commits[id]!
            return HistoryLink(id: id, parent: commit.parents.first, tree: commit.tree, head: commit.head)
        }
    }

    /// The links of a first-parent walk are answered exactly as the commits read again: the same passes, marked
    /// cached, with their heads; a miss before anything is recorded, and under `--no-cache`.
    @Test func linksAreAnsweredLikeCommits() throws {
        let h = H()
        let root = h.root()
        let a = h.change(parent: root, tree: H.edit(H.rootTree, ["a": "1\n"]), signers: [.carol])
        let b = h.change(parent: a, tree: H.edit(H.rootTree, ["a": "2\n"]), signers: [.carol])
        let ids = [root, a, b]
        let store = MemoryStore()
        let first = VerdictCache(store: store)
        let early = verifier(h, first)
        for link in links(h, ids) { #expect(early.cachedVerdict(link, branch: "main", nonFastForward: false) == nil) }
        let checking = verifier(h, first)
        for id in ids { #expect(checking.verify(id, branch: "main", nonFastForward: false).isVerified) }
        try first.save(to: store)

        let fromLinks = verifier(h, VerdictCache(store: store))
        for (link, id) in zip(links(h, ids), ids) {
            let hit = fromLinks.cachedVerdict(link, branch: "main", nonFastForward: false)
            #expect(hit != nil && hit?.cached == true && hit?.isVerified == true)
            #expect(hit?.head == h.repo.commits[id]!.head)
            #expect(hit == verifier(h, VerdictCache(store: store)).cachedVerdict(id, branch: "main", nonFastForward: false))
        }
        let blind = verifier(h, VerdictCache(store: store, answers: false))
        #expect(blind.cachedVerdict(links(h, ids)[2], branch: "main", nonFastForward: false) == nil)
    }

    /// Attack: a link offered for another question (another branch, a non-fast-forward update), or one that lies
    /// about its parent or tree (so that its governing config would be another), is never a pass; nor is one whose
    /// parent, parent's tree or own tree is gone; nor any tampered entry of the file.
    @Test func aLinkIsAPassOnlyForTheSameQuestionWithItsObjects() throws {
        let h = H()
        let root = h.root()
        let a = h.change(parent: root, tree: H.edit(H.rootTree, ["a": "1\n"]), signers: [.carol])
        let b = h.change(parent: a, tree: H.edit(H.rootTree, ["a": "2\n"]), signers: [.carol])
        let store = MemoryStore()
        let first = VerdictCache(store: store)
        for id in [root, a, b] { #expect(verifier(h, first).verify(id, branch: "main", nonFastForward: false).isVerified) }
        try first.save(to: store)
        let link = links(h, [b])[0]
        func answer(_ link: HistoryLink, branch: String = "main", nonFastForward: Bool = false, cache: VerdictCache? = nil)
            -> CommitVerdict?
        {
            verifier(h, cache ?? VerdictCache(store: store)).cachedVerdict(link, branch: branch, nonFastForward: nonFastForward)
        }
        #expect(answer(link)?.cached == true)
        #expect(answer(link, branch: "threads/x") == nil)
        #expect(answer(link, nonFastForward: true) == nil)
        var wrongParent = link
        wrongParent.parent = root
        #expect(answer(wrongParent) == nil)
        // A link's own tree is the next link's governing tree (which the next key names); here it must be there.
        var unknownTree = link
        unknownTree.tree = ObjectID(hex: "4444444444444444444444444444444444444444")!
        #expect(answer(unknownTree) == nil)
        var noParent = link
        noParent.parent = nil
        #expect(answer(noParent) == nil)
        for gone in [a, h.repo.commits[a]!.tree, h.repo.commits[b]!.tree] {
            h.repo.missing = [gone]
            #expect(answer(link) == nil, "with \(gone) missing")
        }
        h.repo.missing = []
        var keys = VerdictCacheFile.decode(store.bytes!)!
        let real = keys.removeLast()
        for i in 0..<32 {
            var flipped = real.bytes
            flipped[i] ^= 0x01
            keys.append(VerdictKey(digest: flipped)!)
        }
        #expect(answer(link, cache: VerdictCache(file: VerdictCacheFile.encode(keys))) == nil)
        #expect(answer(link, cache: VerdictCache(file: VerdictCacheFile.encode(keys + [real])))?.cached == true)
        // A link that lies about its tree (naming another tree that exists) is a miss too, since the key names the
        // commit's tree; and it leaves nothing behind: its child is asked under its parent's real tree.
        let c = h.change(parent: b, tree: H.edit(H.rootTree, ["a": "3\n"]), signers: [.carol])
        let recording = VerdictCache(store: store)
        #expect(verifier(h, recording).verify(c, branch: "main", nonFastForward: false).isVerified)
        try recording.save(to: store)
        var lying = link
        lying.tree = h.repo.commits[root]!.tree
        let walk = verifier(h, VerdictCache(store: store))
        #expect(walk.cachedVerdict(lying, branch: "main", nonFastForward: false) == nil)
        #expect(walk.cachedVerdict(links(h, [c])[0], branch: "main", nonFastForward: false)?.cached == true)
    }
}
