import DehubCore
import DehubGit

extension WebSite {
    /// One commit in a list of commits (a branch's log, a thread): its type, subject line, short id, author and date,
    /// linked to its page under `branch`'s rules, with what the list adds (the log: the verdict; a thread: who signed
    /// its credentials, and a comment's text).
    struct CommitRow {
        var short: String
        var url: String
        var type: String
        var head: String
        var author: String
        var date: String
        var verdict: WebVerdict? = nil
        var signers = ""
        var comment: String? = nil

        init(_ id: ObjectID, branch: String, payload: Payload?, head: String, author: GitPerson, paths: WebPath) {
            short = id.short
            url = paths.commit(id.hex, branch: branch)
            type = WebSite.typeName(payload)
            self.head = head
            self.author = WebSite.person(author)
            date = WebDate.format(author.seconds)
        }
    }
}
