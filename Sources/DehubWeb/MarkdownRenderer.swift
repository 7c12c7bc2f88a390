import CCmarkGFM

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// GitHub-flavoured Markdown to HTML with cmark-gfm: tables, strikethrough, autolinks, and the tag filter. Never
/// with `CMARK_OPT_UNSAFE`: raw HTML in the source becomes a comment (`<!-- raw HTML omitted -->`) and links or
/// images to `javascript:`, `vbscript:`, `file:` and (non-image) `data:` URLs lose their address, by cmark itself.
public enum MarkdownRenderer {
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter"]
    /// Safe by default (no UNSAFE); `<pre lang>` for fenced code, as GitHub writes it.
    static let options = CMARK_OPT_DEFAULT | CMARK_OPT_GITHUB_PRE_LANG

    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    public static func html(_ markdown: String) -> String {
        _ = registered
        guard let parser = cmark_parser_new(options) else { return "" }
        defer { cmark_parser_free(parser) }
        for name in extensionNames {
            if let found = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, found) }
        }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { cmark_parser_feed(parser, $0.baseAddress, $0.count) }
        }
        guard let document = cmark_parser_finish(parser) else { return "" }
        defer { cmark_node_free(document) }
        guard let rendered = cmark_render_html(document, options, cmark_parser_get_syntax_extensions(parser)) else {
            return ""
        }
        defer { free(rendered) }
        return String(cString: rendered)
    }
}
