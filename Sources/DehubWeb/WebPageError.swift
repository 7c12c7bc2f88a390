/// Why a page cannot be shown: its HTTP status and a message for the reader (never a repository's content unescaped:
/// the error page escapes it like every other value).
struct WebPageError: Error {
    var status: Int
    var message: String

    static func notFound(_ message: String = "Not found.") -> WebPageError { WebPageError(status: 404, message: message) }
}
