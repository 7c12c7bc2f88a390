extension HTTPRoute {
    static let eventsSuffix = "/dehub/events"

    /// The event stream's routes, or nil for any other path. Names are validated later (by the access gate).
    static func eventsRoute(method: String, rest: String, query: String?) -> HTTPRoute? {
        let names: [String]
        if rest == "dehub/events" {
            guard let values = repoParameters(query) else { return .notFound }
            names = values
        } else if let name = strip(rest, suffix: eventsSuffix) {
            names = [name]
        } else {
            return nil
        }
        guard method == "GET" else { return .methodNotAllowed }
        return .events(rawNames: names)
    }

    /// The `repo` parameters, in order, each once; nil when one is empty or escaped (a name never needs it).
    static func repoParameters(_ query: String?) -> [String]? {
        var names: [String] = []
        for pair in (query ?? "").split(separator: "&") where pair.hasPrefix("repo=") {
            let value = String(pair.dropFirst("repo=".count))
            guard !value.isEmpty, !value.contains("%"), !value.contains("+") else { return nil }
            if !names.contains(value) { names.append(value) }
        }
        return names
    }
}
