import Testing

@testable import DehubWeb

/// cmark-gfm as the web view runs it: GitHub's extensions on, raw HTML and dangerous link targets off.
@Suite("Markdown renderer")
struct MarkdownRendererTests {
    @Test("tables, strikethrough, autolinks and fenced code render")
    func flavour() {
        let html = MarkdownRenderer.html("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ https://example.org\n\n```sh\nls\n```\n")
        #expect(html.contains("<table>"))
        #expect(html.contains("<td>1</td>"))
        #expect(html.contains("<del>old</del>"))
        #expect(html.contains("<a href=\"https://example.org\">https://example.org</a>"))
        #expect(html.contains("<pre lang=\"sh\"><code>ls\n</code></pre>"))
    }

    @Test(
        "hostile input renders inert",
        arguments: [
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<iframe src=https://evil.example></iframe>",
            "[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](vbscript:msgbox)", "[x](data:text/html,<script>)",
            "![x](javascript:alert(1))", "<a href=\"javascript:alert(1)\">x</a>", "<svg onload=alert(1)>",
            "<style>body{display:none}</style>", "x <b onclick=alert(1)>y</b>",
        ])
    func hostile(markdown: String) {
        let html = MarkdownRenderer.html(markdown).lowercased()
        let bad = [
            "<script", "onerror=", "onload=", "onclick=", "href=\"javascript", "src=\"javascript", "href=\"vbscript",
            "href=\"data:", "<iframe", "<svg", "<style",
        ]
        for bad in bad {
            #expect(!html.contains(bad), "\(markdown) -> \(html)")
        }
    }

    @Test("text is escaped")
    func escaping() {
        #expect(MarkdownRenderer.html("a < b & \"c\"") == "<p>a &lt; b &amp; &quot;c&quot;</p>\n")
    }
}
