import DehubCore
import Testing

@Suite("The reference-transaction hook's message to the host")
struct ClusterRefMessageTests {
    static let a = String(repeating: "a", count: 40), zero = String(repeating: "0", count: 40)

    @Test("a request round-trips; it is incomplete until its end line")
    func roundTrip() throws {
        let request = ClusterRefRequest(
            gitDirectory: "/data/repos/team/p.git", role: "member", token: "t-1", push: "p-2",
            updates: [
                .init(old: Self.zero, new: Self.a, ref: "refs/heads/main"),
                .init(old: Self.a, new: Self.zero, ref: "refs/heads/x"),
            ])
        #expect(try ClusterRefRequest.decode(request.encoded) == request)
        let text = request.encoded
        #expect(throws: ClusterRefRequest.Problem.incomplete) { try ClusterRefRequest.decode(String(text.dropLast(4))) }
        let empty = ClusterRefRequest(gitDirectory: "/d", role: "", token: "", push: "", updates: [])
        #expect(try ClusterRefRequest.decode(empty.encoded) == empty)
    }

    @Test(
        "malformed requests are refused with the line",
        arguments: [
            "dehub-ref-transaction 2\ngit-dir /d\nrole \ntoken x\npush y\nend\n",
            "dehub-ref-transaction 1\ngit-dir relative\nrole \ntoken x\npush y\nend\n",
            "dehub-ref-transaction 1\ngit-dir /d\ntoken x\nrole \npush y\nend\n",
            "dehub-ref-transaction 1\ngit-dir /d\nrole \ntoken x\npush y\nupdate a b\nend\n",
            "dehub-ref-transaction 1\ngit-dir /d\nrole \ntoken x\npush y\nupdate a b c d\nend\n",
            "dehub-ref-transaction 1\ngit-dir /d\nrole \ntoken x\npush y\nupdate a b \nend\n",
            "dehub-ref-transaction 1\ngit-dir /d\nrole \ntoken x\nend\n",
        ])
    func malformed(text: String) {
        #expect(throws: ClusterRefRequest.Problem.self) { try ClusterRefRequest.decode(text) }
    }

    @Test("too large a request is refused before it is read")
    func tooLarge() {
        let text = String(repeating: "x", count: ClusterRefRequest.maxBytes + 1) + "\nend\n"
        #expect(throws: ClusterRefRequest.Problem.tooLarge) { try ClusterRefRequest.decode(text) }
    }

    @Test("answers: ok, or a refusal on one line; anything else is a refusal")
    func answers() {
        #expect(ClusterRefAnswer.decode(ClusterRefAnswer.ok.encoded) == .ok)
        #expect(ClusterRefAnswer.decode(ClusterRefAnswer.refused("a\nb").encoded) == .refused("a b"))
        #expect(ClusterRefAnswer.decode("") == .refused("the cluster node gave no answer"))
        #expect(ClusterRefAnswer.decode("okay\n") == .refused("the cluster node gave no answer"))
    }
}
