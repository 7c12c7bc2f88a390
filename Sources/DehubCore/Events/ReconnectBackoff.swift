/// How long to wait before connecting again: `initial`, doubled after every failed attempt up to `maximum`, each
/// delay spread by up to `jitter` of itself (so that watchers cut off together do not all come back at once).
/// A connection that got as far as `ready` resets it. The server's `retry:` raises the floor. Randomness is the
/// caller's: `next(random:)` takes a number in 0..<1.
public struct ReconnectBackoff: Sendable, Equatable {
    public var initial: Duration
    public var maximum: Duration
    public var jitter: Double
    public private(set) var failures = 0

    public init(initial: Duration = .seconds(1), maximum: Duration = .seconds(60), jitter: Double = 0.2) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        self.jitter = min(max(jitter, 0), 1)
    }

    /// The delay before the next attempt, and one more failure counted.
    public mutating func next(random: Double) -> Duration {
        let exponent = min(failures, 30)
        failures += 1
        var delay = initial
        for _ in 0..<exponent {
            delay = delay * 2
            if delay >= maximum { break }
        }
        delay = min(delay, maximum)
        let spread = min(max(random, 0), 1) * jitter
        return delay - delay * spread
    }

    /// The connection reached `ready`: the next failure starts over from `initial`.
    public mutating func reset() { failures = 0 }

    /// The server asked (`retry:`) for at least this long between attempts.
    public mutating func serverAsked(milliseconds: Int) {
        let asked = Duration.milliseconds(min(max(milliseconds, 0), 3_600_000))
        initial = max(initial, asked)
        maximum = max(maximum, initial)
    }
}
