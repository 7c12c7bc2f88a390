import Synchronization

/// The history one verification (a push, a `dehub verify` run) works on, so that the project id bound credentials
/// name (format §6.7) is worked out once, not once per commit, and only when a bound config asks for it.
///
/// Precondition: every commit verified in the scope has the anchor's root commit. The hook refuses any update whose
/// roots differ from main's before it verifies a commit (format §10 rule 5), and a range or a single commit has the
/// root of its tip.
public final class ProjectScope: Sendable {
    public let anchor: ObjectID
    private let resolved = Mutex<Result<ProjectID, ProjectIDError>?>(nil)

    /// `anchor`: any commit of the history, usually the tip being verified.
    public init(anchor: ObjectID) { self.anchor = anchor }

    /// The project of the history (its root commit), worked out with `repository` the first time it is asked for.
    /// A failure (an unreadable or oversized commit on the way) is kept too, so a broken history costs one walk.
    public func projectID(reading repository: RepositoryReading) throws(ProjectIDError) -> ProjectID {
        try resolved.withLock { cached -> Result<ProjectID, ProjectIDError> in
            if let cached { return cached }
            let result: Result<ProjectID, ProjectIDError>
            do {
                result = .success(try ProjectID.ofHistory(of: anchor, in: repository))
            } catch let error as ProjectIDError {
                result = .failure(error)
            } catch {
                result = .failure(ProjectIDError("the root commit of \(anchor.short)'s history could not be read: \(error)"))
            }
            cached = result
            return result
        }.get()
    }
}
