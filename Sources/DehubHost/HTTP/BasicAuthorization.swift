import DehubCore

/// `Authorization: Basic base64(user:password)`. The password is the token; the user name is ignored.
public enum BasicAuthorization {
    public enum Parsed: Equatable, Sendable {
        case none
        case token(String)
        case malformed
    }

    public static func parse(_ header: String?) -> Parsed {
        guard let header else { return .none }
        guard header.utf8.count <= 1024 else { return .malformed }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let data = Base64.decode(String(parts[1]).trimmingSpaces())
        else { return .malformed }
        let text = String(decoding: data, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":") else { return .malformed }
        let token = String(text[text.index(after: colon)...])
        return token.isEmpty ? .malformed : .token(token)
    }
}
