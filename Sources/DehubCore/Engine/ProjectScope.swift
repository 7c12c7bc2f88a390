import Synchronization

/// The history one verification (a push, a `dehub verify` run) works on, so that the project id bound credentials
/// name (format §6.7) is worked out once, not once per commit, and only when a bound config asks for it.
///
/// Precondition: every commit verified in the scope has the anchor's root commit. The hook refuses any update whose
/// roots differ from main's before it verifies a commit (format §10 rule 5), and a range or a single commit has the
/// roots of its tip; a history with two roots (a merge) has no project id, so its bound credentials fail (closed).
public final class ProjectScope: Sendable {
    public let anchor: ObjectID
    private let resolved = Mutex<Result<ProjectID, ProjectIDError>?>(nil)

    /// `anchor`: any commit of the history, usually the tip being verified.
    public init(anchor: ObjectID) { self.anchor = anchor }

    /// The project of the history (its root commit), worked out with `repository` the first time it is asked for.
    public func projectID(reading repository: RepositoryReading) throws -> ProjectID {
        try resolved.withLock { cached -> Result<ProjectID, ProjectIDError> in
            if let cached { return cached }
            let result: Result<ProjectID, ProjectIDError>
            do {
                result = .success(try ProjectID.ofHistory(of: anchor, in: repository))
            } catch let error as ProjectIDError {
                result = .failure(error)
            } catch {
                // A read error is not cached: another worker may read the history fine; this commit fails closed.
                throw error
            }
            cached = result
            return result
        }.get()
    }
}
