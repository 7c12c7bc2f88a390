import DehubCore

/// libgit2 is the push rules' repository: refs, object presence, walks and tree diffs, through the hook's quarantine.
extension GitRepository: PushRepository {}
