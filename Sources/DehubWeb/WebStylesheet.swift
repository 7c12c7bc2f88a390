/// The one stylesheet (`/static/style.css`), in the source like the templates. Readable on a phone (one column, no
/// fixed widths), with a dark variant that follows the system's setting.
enum WebStylesheet {
    static let css = """
        :root { --bg: #fff; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --card: #f6f8fa; --link: #0550ae;
          --ok: #1a7f37; --ok-bg: #dafbe1; --bad: #b3261e; --bad-bg: #ffebe9; --add: #e6ffec; --del: #ffebe9; }
        @media (prefers-color-scheme: dark) {
          :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --card: #151b23; --link: #4493f8;
            --ok: #3fb950; --ok-bg: #12261e; --bad: #f85149; --bad-bg: #2d1214; --add: #12261e; --del: #2d1214; }
        }
        * { box-sizing: border-box; }
        body { margin: 0; background: var(--bg); color: var(--fg);
          font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
        header { display: flex; flex-wrap: wrap; gap: .5em; align-items: baseline; padding: .75em 1em;
          border-bottom: 1px solid var(--line); background: var(--card); }
        header nav { margin-left: auto; display: flex; gap: 1em; }
        .brand { font-weight: 700; }
        main { max-width: 60rem; margin: 0 auto; padding: 1em; overflow-wrap: anywhere; }
        footer { max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: 13px; }
        a { color: var(--link); text-decoration: none; } a:hover { text-decoration: underline; }
        h1 { font-size: 1.5em; margin: .3em 0 .6em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
        code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        pre { margin: 0; white-space: pre-wrap; }
        .muted, .meta { color: var(--muted); } .meta { font-size: 13px; }
        .badge { display: inline-block; padding: 0 .5em; border-radius: 1em; font-size: 12px; font-weight: 600; }
        .badge.ok { color: var(--ok); background: var(--ok-bg); } .badge.bad { color: var(--bad); background: var(--bad-bg); }
        .status { padding: .4em .7em; border-radius: 6px; } .status.ok { color: var(--ok); background: var(--ok-bg); }
        .status.bad { color: var(--bad); background: var(--bad-bg); }
        .why { color: var(--bad); font-size: 13px; }
        ul.cards { list-style: none; padding: 0; } ul.cards li { border: 1px solid var(--line); border-radius: 8px;
          padding: .75em 1em; margin-bottom: .75em; } ul.cards .title { font-size: 1.15em; font-weight: 600; }
        ul.cards p { margin: .25em 0; }
        ol.log { list-style: none; padding: 0; border: 1px solid var(--line); border-radius: 8px; }
        ol.log li { padding: .5em .8em; border-bottom: 1px solid var(--line); } ol.log li:last-child { border-bottom: 0; }
        ol.log li.bad { border-left: 3px solid var(--bad); } ol.log li.ok { border-left: 3px solid var(--ok); }
        .type, .kind { display: inline-block; min-width: 5.5em; color: var(--muted); font-size: 12px; text-transform: uppercase; }
        .branches a { margin-right: .5em; } .branches a.current { font-weight: 700; }
        .clone label { display: block; margin: .3em 0; }
        .clone input { width: 100%; padding: .35em; font: 13px ui-monospace, monospace; color: var(--fg);
          background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
        table { border-collapse: collapse; } td, th { padding: .25em .6em; text-align: left; vertical-align: top; }
        table.accounts th, table.credentials td, table.tree td { border-bottom: 1px solid var(--line); }
        table.tree, table.blob { width: 100%; }
        table.blob td.n { color: var(--muted); text-align: right; user-select: none; width: 1%; }
        table.blob td { padding: 0 .6em; }
        .thread { border: 1px solid var(--line); border-radius: 8px; padding: 0 1em 1em; margin-bottom: 1em; }
        blockquote { margin: .3em 0 .3em 1em; padding-left: .7em; border-left: 3px solid var(--line); white-space: pre-wrap; }
        .file { border: 1px solid var(--line); border-radius: 8px; margin-bottom: 1em; overflow-x: auto; }
        .file h3 { font-size: 14px; margin: 0; padding: .4em .8em; background: var(--card); border-bottom: 1px solid var(--line); }
        pre.diff { padding: .4em 0; } pre.diff span { display: block; min-height: 1.45em; padding: 0 .8em; }
        pre.diff .add { background: var(--add); } pre.diff .del { background: var(--del); } pre.diff .hunk { color: var(--muted); }
        .markdown table td, .markdown table th { border: 1px solid var(--line); }
        .markdown pre { background: var(--card); padding: .7em; border-radius: 6px; overflow-x: auto; }
        .markdown img { max-width: 100%; }
        .button { display: inline-block; padding: .3em .8em; border: 1px solid var(--line); border-radius: 6px; }
        dl dt { font-weight: 600; } dl dd { margin: 0 0 .5em 1em; }

        """
}
