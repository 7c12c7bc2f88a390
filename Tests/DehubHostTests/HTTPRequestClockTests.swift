import Testing

@testable import DehubHost

@Suite("HTTP phase deadlines")
struct HTTPRequestClockTests {
    let start = ContinuousClock.now

    func at(_ seconds: Int) -> ContinuousClock.Instant { start + .seconds(seconds) }

    func clock() -> HTTPRequestClock { HTTPRequestClock(headTimeout: .seconds(30), bodyTimeout: .seconds(60), now: start) }

    @Test("a head must arrive within the head timeout of the connection's start")
    func headDeadline() {
        let c = clock()
        #expect(c.phase == .head)
        #expect(c.check(at: at(10)) == .checkAt(at(30)))
        #expect(c.check(at: at(30)) == .timedOut(.head))
    }

    @Test("a body stalls only while the host waits for it")
    func bodyDeadline() {
        var c = clock()
        c.headRead()
        #expect(c.phase == .body)
        // The host has not asked for bytes (git busy, or the request waiting for a slot): no deadline.
        #expect(c.check(at: at(500)) == .none)
        c.readRequested(at: at(500))
        #expect(c.check(at: at(520)) == .checkAt(at(560)))
        c.readRequested(at: at(530))  // asking again does not extend the wait
        #expect(c.check(at: at(560)) == .timedOut(.body))
        c.bodyRead()
        #expect(c.check(at: at(561)) == .none)
    }

    @Test("no deadline while responding; the next head's clock starts when the response ends")
    func keepAlive() {
        var c = clock()
        c.headRead()
        c.endRead()
        #expect(c.phase == .responding)
        #expect(c.check(at: at(10_000)) == .none)
        c.responseEnded(at: at(10_000))
        #expect(c.phase == .head)
        #expect(c.check(at: at(10_010)) == .checkAt(at(10_030)))
    }

    @Test("an early response (413) does not end the body's phase: the rest is still timed")
    func earlyResponse() {
        var c = clock()
        c.headRead()
        c.responseEnded(at: at(1))
        #expect(c.phase == .body)
        c.readRequested(at: at(2))
        #expect(c.check(at: at(62)) == .timedOut(.body))
    }

    @Test("pipelined requests: the head clock waits for every response")
    func pipelined() {
        var c = clock()
        c.headRead()
        c.endRead()
        c.headRead()
        c.endRead()
        c.responseEnded(at: at(1))
        #expect(c.phase == .responding)
        c.responseEnded(at: at(2))
        #expect(c.check(at: at(3)) == .checkAt(at(32)))
    }
}

@Suite("Phase timeout settings")
struct PhaseTimeoutSettingsTests {
    @Test("the three timeouts are read, with their defaults when absent")
    func values() throws {
        let config = try HostConfig.parse(
            "request_head_timeout_seconds: 5\nrequest_body_timeout_seconds: 7\ngit_idle_timeout_seconds: 9\n"
        ).get()
        #expect(config.requestHeadTimeoutSeconds == 5)
        #expect(config.requestBodyTimeoutSeconds == 7)
        #expect(config.gitIdleTimeoutSeconds == 9)
        let defaults = try HostConfig.parse("").get()
        #expect(
            [defaults.requestHeadTimeoutSeconds, defaults.requestBodyTimeoutSeconds, defaults.gitIdleTimeoutSeconds] == [
                30, 60, 120,
            ])
    }

    @Test(
        "bad values name the key and the line",
        arguments: [
            (
                "request_head_timeout_seconds: 0\n",
                "host config line 1: request_head_timeout_seconds must be a positive integer (at most 3600)"
            ),
            (
                "\nrequest_body_timeout_seconds: 3601\n",
                "host config line 2: request_body_timeout_seconds must be a positive integer (at most 3600)"
            ),
            (
                "git_idle_timeout_seconds: soon\n",
                "host config line 1: git_idle_timeout_seconds must be a positive integer (at most 86400)"
            ),
        ])
    func errors(text: String, message: String) {
        guard case .failure(let error) = HostConfig.parse(text) else {
            Issue.record("accepted: \(text)")
            return
        }
        #expect(error.message == message)
    }
}
