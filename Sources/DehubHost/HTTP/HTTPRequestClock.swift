/// The deadlines of one HTTP connection, apart from channel I/O (`HTTPTimeoutHandler` feeds it events and
/// the time). Modeled on nginx's `client_header_timeout` and `client_body_timeout`:
///
/// - **head**: while no request is open, the next request's head must arrive within `headTimeout` of the
///   connection's start or of the previous response's end (a slow or partial head does not extend it);
/// - **body**: while a request's body is being read, each time the host asks the connection for bytes, some
///   must arrive within `bodyTimeout`. Time the host spends not asking (git busy, the request waiting for a git
///   slot) never counts against the client;
/// - **responding**: no deadline here; git's own idle limit (`GitProcessRunner`) covers it.
struct HTTPRequestClock {
    typealias Instant = ContinuousClock.Instant

    enum Phase: Equatable { case head, body, responding }

    enum Verdict: Equatable {
        /// Nothing to time now.
        case none
        /// Check again at this instant.
        case checkAt(Instant)
        /// The phase's deadline passed.
        case timedOut(Phase)
    }

    let headTimeout: Duration
    let bodyTimeout: Duration
    private var headsRead = 0
    private var endsRead = 0
    private var responsesEnded = 0
    private var idleSince: Instant
    /// When the host asked for body bytes it has not received yet.
    private var bodyWantedSince: Instant?

    init(headTimeout: Duration, bodyTimeout: Duration, now: Instant) {
        self.headTimeout = headTimeout
        self.bodyTimeout = bodyTimeout
        self.idleSince = now
    }

    var phase: Phase {
        if endsRead < headsRead { return .body }
        if responsesEnded < headsRead { return .responding }
        return .head
    }

    mutating func headRead() {
        headsRead += 1
        bodyWantedSince = nil
    }

    mutating func bodyRead() { bodyWantedSince = nil }

    mutating func endRead() {
        endsRead += 1
        bodyWantedSince = nil
    }

    /// The host asked the connection for more bytes.
    mutating func readRequested(at now: Instant) {
        if phase == .body, bodyWantedSince == nil { bodyWantedSince = now }
    }

    mutating func responseEnded(at now: Instant) {
        responsesEnded += 1
        if phase == .head { idleSince = now }
    }

    func check(at now: Instant) -> Verdict {
        switch phase {
        case .head:
            let deadline = idleSince + headTimeout
            return now >= deadline ? .timedOut(.head) : .checkAt(deadline)
        case .body:
            guard let since = bodyWantedSince else { return .none }
            let deadline = since + bodyTimeout
            return now >= deadline ? .timedOut(.body) : .checkAt(deadline)
        case .responding:
            return .none
        }
    }
}
