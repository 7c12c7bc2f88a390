import DehubCore

/// The fake as the push rules' port: refs from `refs`, walks over the in-memory commits.
extension FakeRepository: PushRepository {
    func referenceTarget(_ ref: String) throws -> ObjectID? { refs[ref] }

    func annotatedTag(_ id: ObjectID, limit: Int) throws -> TagObject? {
        if let failure { throw failure }
        guard let tag = tags[id] else { return nil }
        guard tag.message.utf8.count <= limit else { throw ReadError(description: "tag \(id) is larger than \(limit) bytes") }
        return tag
    }

    /// Adds an annotated tag object and returns its id.
    @discardableResult
    func addTag(name: String, target: ObjectID, message: String, targetIsCommit: Bool = true) -> ObjectID {
        let id = intern("tag \(name) \(target) \(message)")
        tags[id] = TagObject(id: id, name: name, target: target, targetIsCommit: targetIsCommit, message: message)
        return id
    }

    /// Parents before children: a depth-first post-order from `tip`, stopping at what `excluding` reaches.
    func commits(from tip: ObjectID, excluding: [ObjectID]) throws -> [ObjectID] {
        var hidden = Set<ObjectID>()
        for id in excluding { hidden.formUnion(try ancestors(of: id)) }
        var order: [ObjectID] = []
        var seen = Set<ObjectID>()
        func visit(_ id: ObjectID) throws {
            guard !hidden.contains(id), seen.insert(id).inserted else { return }
            for parent in try commit(id).parents { try visit(parent) }
            order.append(id)
        }
        try visit(tip)
        return order
    }

    func rootCommits(of tip: ObjectID) throws -> [ObjectID] {
        try ancestors(of: tip).filter { try commit($0).parents.isEmpty }.sorted { $0.hex < $1.hex }
    }

    func changedFiles(from oldTree: ObjectID?, to newTree: ObjectID) throws -> [FileChange] {
        diff(from: try oldTree.map { try tree(of: $0) } ?? [:], to: try tree(of: newTree))
    }

    private func ancestors(of id: ObjectID) throws -> Set<ObjectID> {
        var seen = Set<ObjectID>()
        var stack = [id]
        while let next = stack.popLast() {
            guard seen.insert(next).inserted else { continue }
            stack += try commit(next).parents
        }
        return seen
    }
}
