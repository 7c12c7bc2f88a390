extension HostServices {
    /// A receive-pack on `grant`'s repository ended (accepted, refused or cut short: the refs say what happened):
    /// the hub reads them and publishes what moved. In a task of its own, so that the push's answer never waits.
    func pushEnded(_ grant: AccessGate.Grant) {
        let events = self.events
        Task { await events.refresh(repo: grant.name.path, path: grant.path) }
    }
}
