import DehubCore
import DehubGit

extension WebSite {
    struct Crumb {
        var name: String
        var url: String
    }

    struct TreeModel {
        struct Entry {
            var name: String
            var kind: String
            var url: String?
        }
        var revision: String
        var rootURL: String
        var crumbs: [Crumb]
        var entries: [Entry]
        var truncated: Bool
    }

    struct BlobModel {
        struct Line {
            var n: Int
            var text: String
        }
        var revision: String
        var rootURL: String
        var crumbs: [Crumb]
        var size: Int
        var rawURL: String
        var tooLarge: Bool
        var binary: Bool
        var hasLines: Bool
        var lines: [Line]
    }

    /// `/NAME/tree/REV/PATH`: a directory's entries, directories first, at most `maxTreeEntries`.
    func tree(_ context: PageContext, revision: String, path: String) throws -> (String, String) {
        let repo = context.repo
        guard let entry = try self.entry(path, at: revision, in: repo) else {
            throw WebPageError.notFound("No \(path) in \(revision).")
        }
        guard entry.kind == .tree else { throw WebPageError.notFound("\(path) is not a directory.") }
        let (entries, truncated) = try repo.treeEntries(entry.id, limit: limits.maxTreeEntries)
        let sorted = entries.filter { $0.kind == .tree } + entries.filter { $0.kind != .tree }
        let prefix = path.isEmpty ? "" : path + "/"
        let model = TreeModel(
            revision: revision, rootURL: context.paths.tree(revision), crumbs: crumbs(context, revision, path, file: false),
            entries: sorted.map { item in
                let url: String?
                switch item.kind {
                case .tree: url = context.paths.tree(revision, prefix + item.name)
                case .blob, .symlink: url = context.paths.blob(revision, prefix + item.name)
                case .submodule: url = nil
                }
                return TreeModel.Entry(name: item.name, kind: item.kind == .tree ? "dir" : item.kind.rawValue, url: url)
            }, truncated: truncated)
        return ((path.isEmpty ? revision : path) + " · " + context.repository.name, WebTemplates.render(model, "tree"))
    }

    /// `/NAME/blob/REV/PATH`: a text file with line numbers, up to `maxBlobBytes`; otherwise the raw link only.
    func blob(_ context: PageContext, revision: String, path: String) throws -> (String, String) {
        let repo = context.repo
        guard let entry = try self.entry(path, at: revision, in: repo), entry.kind == .blob || entry.kind == .symlink else {
            throw WebPageError.notFound("No file \(path) in \(revision).")
        }
        let size = try repo.objectSize(entry.id)
        var model = BlobModel(
            revision: revision, rootURL: context.paths.tree(revision), crumbs: crumbs(context, revision, path, file: true),
            size: size,
            rawURL: context.paths.raw(revision, path), tooLarge: size > limits.maxBlobBytes, binary: false, hasLines: false,
            lines: [])
        if !model.tooLarge {
            let bytes = try repo.blob(entry.id, limit: limits.maxBlobBytes)
            if bytes.contains(0) || String(validating: bytes, as: UTF8.self) == nil {
                model.binary = true
            } else {
                let text = String(decoding: bytes, as: UTF8.self)
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                if lines.last == "" { lines.removeLast() }
                model.lines = lines.enumerated().map { BlobModel.Line(n: $0.offset + 1, text: String($0.element)) }
                model.hasLines = !model.lines.isEmpty
            }
        }
        return (path + " · " + context.repository.name, WebTemplates.render(model, "blob"))
    }

    /// `/NAME/raw/REV/PATH`: the file's bytes as a download, never rendered by the browser (`attachment`, `nosniff`,
    /// a sandboxing CSP), so a file of HTML or SVG in a repository cannot run in this site's origin.
    func raw(_ repository: WebRepository, revision: String, path: String) throws -> WebResponse {
        let repo = try GitRepository.open(path: repository.path)
        guard let entry = try self.entry(path, at: revision, in: repo), entry.kind == .blob else {
            throw WebPageError.notFound("No file \(path) in \(revision).")
        }
        let size = try repo.objectSize(entry.id)
        guard size <= limits.maxRawBytes else {
            throw WebPageError(
                status: 413,
                message: "The file is \(size) bytes, more than the \(limits.maxRawBytes) this host serves; clone the repository.")
        }
        let name = path.split(separator: "/").last.map(String.init) ?? "file"
        var response = WebResponse(
            status: 200, contentType: "application/octet-stream", body: try repo.blob(entry.id, limit: limits.maxRawBytes),
            extraHeaders: [("Content-Disposition", "attachment; filename*=UTF-8''" + WebPath.encode(name))])
        response.headers = response.headers.map { header in
            header.name == "Content-Security-Policy" ? (name: header.name, value: "default-src 'none'; sandbox") : header
        }
        return response
    }

    func crumbs(_ context: PageContext, _ revision: String, _ path: String, file: Bool) -> [Crumb] {
        var crumbs: [Crumb] = []
        var sofar = ""
        for component in path.split(separator: "/") {
            sofar += (sofar.isEmpty ? "" : "/") + component
            crumbs.append(Crumb(name: String(component), url: context.paths.tree(revision, sofar)))
        }
        if file, let last = crumbs.indices.last { crumbs[last].url = context.paths.blob(revision, sofar) }
        return crumbs
    }
}
