import Mustache

/// The pages' Mustache templates, kept in the source so that `dehub-host` stays one binary with no resource bundle.
/// `{{name}}` escapes `& < > " '`; the only unescaped values (`{{{...}}}`) are HTML this module made: a rendered page
/// inside the layout, and cmark-gfm's output for a README.
enum WebTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in all.merging(partials, uniquingKeysWith: { a, _ in a }) {
            // The templates are constants: a parse error is a bug that every test shows at once.
            try! library.register(text, named: name)
        }
        return library
    }()

    static func render(_ object: Any, _ name: String) -> String {
        library.render(object, withTemplate: name) ?? ""
    }

    static let all: [String: String] = [
        "layout": layout, "home": home, "repo": repo, "log": log, "threads": threads, "commit": commit, "tree": tree,
        "blob": blob, "error": error,
    ]

    static let layout = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <link rel="stylesheet" href="{{stylesheet}}">
        </head><body>
        <header><a class="brand" href="{{home}}">dehub</a>{{#repo}} / <a href="{{page}}">{{name}}</a>
        <nav><a href="{{page}}">About</a> <a href="{{log}}">Log</a> <a href="{{threads}}">Threads</a> <a href="{{tree}}">Files</a></nav>{{/repo}}
        </header>
        <main>
        {{{body}}}
        </main>
        <footer>Verdicts are the dehub engine's, under each branch's rules.</footer>
        </body></html>

        """

    static let home = """
        <h1>Repositories</h1>
        {{^repos}}<p class="muted">No repository to show.</p>{{/repos}}
        <ul class="cards">
        {{#repos}}<li><a class="title" href="{{url}}">{{name}}</a>
        <p>{{description}}</p>
        {{#tip}}<p class="meta"><a href="{{commitURL}}"><code>{{short}}</code></a> {{#verdict}}{{> badge}}{{/verdict}} main moved {{date}}</p>{{/tip}}
        {{^tip}}<p class="meta muted">main has no commit yet</p>{{/tip}}
        </li>
        {{/repos}}
        </ul>

        """

    static let badge = """
        {{#verified}}<span class="badge ok" title="verified under {{branch}}'s rules">verified{{#by}} by {{by}}{{/by}}</span>{{/verified}}{{^verified}}<span class="badge bad" title="not verifiable under {{branch}}'s rules">not verifiable</span>{{/verified}}
        """

    static let repo = """
        <h1>{{name}}</h1>
        {{#mirrorOf}}<p class="meta">Mirror of <code>{{mirrorOf}}</code> (read-only here).</p>{{/mirrorOf}}
        {{#forkedFrom}}<p class="meta">Forked from <code>{{.}}</code></p>{{/forkedFrom}}
        <section class="clone"><h2>Clone</h2>
        <label>HTTP <input readonly value="git clone {{cloneHTTP}}"></label>
        <label>SSH <input readonly value="git clone {{cloneSSH}}"></label>
        </section>
        <section><h2>Rules of main</h2>
        {{#configError}}<p class="badge bad">{{configError}}</p>{{/configError}}
        {{^hasMain}}<p class="muted">main has no commit yet.</p>{{/hasMain}}
        <ol class="rules">{{#rules}}<li>{{.}}</li>{{/rules}}</ol>
        {{#hasMain}}<details><summary>then the defaults</summary><ol class="rules">{{#defaults}}<li>{{.}}</li>{{/defaults}}</ol></details>{{/hasMain}}
        {{#bindCredentials}}<p>Credentials are bound to this project: they cannot be replayed in another repository.</p>{{/bindCredentials}}
        <h3>Accounts</h3>
        {{^accounts}}<p class="muted">No account: nothing can be verified.</p>{{/accounts}}
        <table class="accounts">{{#accounts}}<tr><th>{{id}}</th><td>{{#keys}}<div><span class="kind">{{kind}}</span> <code>{{fingerprint}}</code></div>{{/keys}}</td></tr>{{/accounts}}</table>
        </section>
        {{#hasTags}}<section><h2>Release tags</h2><p class="muted">The host's hook takes a release tag only when the rules of main accept its credentials (format §13).</p>
        <ul>{{#tags}}<li><code>{{name}}</code> <a href="{{url}}"><code>{{short}}</code></a></li>{{/tags}}</ul></section>{{/hasTags}}
                {{#readme}}<section class="readme"><h2>{{readmeName}}</h2><article class="markdown">{{{readme}}}</article></section>{{/readme}}

        """

    static let log = """
        <h1>Log of <code>{{branch}}</code></h1>
        <p class="branches">{{#branches}}<a href="{{url}}"{{#current}} class="current"{{/current}}>{{name}}</a> {{/branches}}</p>
        {{#empty}}<p class="muted">No commit.</p>{{/empty}}
        <ol class="log">
        {{#commits}}<li class="{{#verdict.verified}}ok{{/verdict.verified}}{{^verdict.verified}}bad{{/verdict.verified}}">
        <div class="line"><span class="type">{{type}}</span> <a href="{{url}}">{{head}}</a></div>
        <div class="meta"><code>{{short}}</code> {{author}} · {{date}} {{#verdict}}{{> badge}}{{/verdict}}</div>
        {{^verdict.verified}}<div class="why">{{verdict.reason}}</div>{{/verdict.verified}}
        </li>
        {{/commits}}
        </ol>
        {{#next}}<p><a class="button" href="{{next}}">Older commits</a></p>{{/next}}

        """

    static let threads = """
        <h1>Threads</h1>
        <p class="muted">Branches other than main. A thread reaches main as one change commit made by <code>dehub combine</code>, carrying the credentials collected here.</p>
        {{^threads}}<p class="muted">No thread.</p>{{/threads}}
        {{#threads}}<section class="thread">
        <h2><a href="{{logURL}}">{{branch}}</a></h2>
        {{#ready}}<p class="status ok">Ready: main's rules accept the combined change{{#collected}} (signed by {{collected}}){{/collected}}.</p>{{/ready}}
        {{#needs}}<p class="status bad">{{needs}}</p>{{/needs}}
        {{#blocked}}<p class="status bad">{{blocked}}</p>{{/blocked}}
        {{#needsRebase}}<p class="muted">main moved since this thread started: rebase it onto main before combining.</p>{{/needsRebase}}
        <p>Credentials collected: {{#collected}}{{collected}}{{/collected}}{{^collected}}none{{/collected}}</p>
        <ol class="log">{{#entries}}<li><div class="line"><span class="type">{{type}}</span> <a href="{{url}}">{{head}}</a></div>
        <div class="meta"><code>{{short}}</code> {{author}} · {{date}}{{#signers}} · credentials: {{signers}}{{/signers}}</div>
        {{#comment}}<blockquote>{{comment}}</blockquote>{{/comment}}</li>{{/entries}}</ol>
        {{#truncated}}<p class="muted">Only the newest commits are shown.</p>{{/truncated}}
        </section>{{/threads}}
        {{#more}}<p class="muted">Only the first {{more}} threads are shown.</p>{{/more}}

        """

    static let commit = """
        <h1>{{head}}</h1>
        <p class="meta"><code>{{id}}</code> · {{author}} · {{date}}{{#parents}} · parent <a href="{{url}}"><code>{{short}}</code></a>{{/parents}} · <a href="{{treeURL}}">files</a></p>
        {{#verdict}}<p>Under the rules of <code>{{branch}}</code>: {{> badge}}</p>
        {{^verified}}<p class="why">{{reason}}</p>{{#hint}}<p class="muted">{{hint}}</p>{{/hint}}{{/verified}}{{/verdict}}
        {{^verdict}}<p class="muted">No branch holds this commit: it has no verdict.</p>{{/verdict}}
        <section><h2>Payload</h2>
        {{#payloadError}}<p class="badge bad">{{payloadError}}</p>{{/payloadError}}
        {{#payload}}<dl><dt>type</dt><dd>{{type}}</dd>{{#description}}<dt>description</dt><dd><pre class="text">{{description}}</pre></dd>{{/description}}
        {{#comment}}<dt>comment</dt><dd><pre class="text">{{comment}}</pre></dd>{{/comment}}
        {{#commits}}<dt>commits</dt><dd>{{commits}}</dd>{{/commits}}
        <dt>fingerprint</dt><dd><code>{{fingerprint}}</code></dd></dl>{{/payload}}
        </section>
        <section><h2>Credentials</h2>
        {{^credentials}}<p class="muted">None.</p>{{/credentials}}
        <table class="credentials">{{#credentials}}<tr><td>{{account}}</td><td><span class="kind">{{kind}}</span> <code>{{key}}</code></td><td>{{#verified}}<span class="badge ok">verified</span>{{/verified}}{{^verified}}<span class="badge bad">did not verify</span> {{failure}}{{/verified}}</td></tr>{{/credentials}}</table>
        </section>
        <section><h2>Diff</h2>
        {{^files}}<p class="muted">No file changed.</p>{{/files}}
        {{#files}}<div class="file"><h3><span class="kind">{{status}}</span> {{path}}</h3>
        {{#binary}}<p class="muted">Binary file.</p>{{/binary}}{{#tooLarge}}<p class="muted">Too large to show here.</p>{{/tooLarge}}
        {{#hasLines}}<pre class="diff">{{#lines}}<span class="{{kind}}">{{text}}</span>{{/lines}}</pre>{{/hasLines}}</div>{{/files}}
        {{#truncated}}<p class="badge bad">The diff is cut short here: it is larger than this page shows.</p>{{/truncated}}
        </section>

        """

    static let tree = """
        <h1>{{> crumbs}}</h1>
        <table class="tree">
        {{#entries}}<tr><td class="kind">{{kind}}</td><td>{{#url}}<a href="{{url}}">{{name}}</a>{{/url}}{{^url}}{{name}}{{/url}}</td></tr>
        {{/entries}}
        </table>
        {{#truncated}}<p class="muted">Only the first entries are listed.</p>{{/truncated}}

        """

    static let crumbs = """
        <a href="{{rootURL}}">{{revision}}</a>{{#crumbs}} / <a href="{{url}}">{{name}}</a>{{/crumbs}}
        """

    static let blob = """
        <h1>{{> crumbs}}</h1>
        <p class="meta">{{size}} bytes · <a href="{{rawURL}}">raw</a></p>
        {{#tooLarge}}<p class="muted">Too large to show here: use the raw download.</p>{{/tooLarge}}
        {{#binary}}<p class="muted">Binary file: use the raw download.</p>{{/binary}}
        {{#hasLines}}<table class="blob">{{#lines}}<tr><td class="n">{{n}}</td><td><pre>{{text}}</pre></td></tr>
        {{/lines}}</table>{{/hasLines}}

        """

    static let error = """
        <h1>{{status}}</h1>
        <p>{{message}}</p>

        """
}

extension WebTemplates {
    static let partials: [String: String] = ["badge": badge, "crumbs": crumbs]
}
