#!/usr/bin/env python3
"""Sorts the samples of a `perf script` dump of dehub-host serving small requests into phases (git spawn and
reaping, pipes, HTTP parsing and writing, the access check, logging, waking and switching threads...) by the frames
on each sample's stack, and prints each phase's share of the host's own samples (git's processes left out). Used for
BENCHMARKS.md (issue 11, small requests):

    perf record -F 1000 --call-graph dwarf,32768 -p HOST_PID -o host.data   # while a loop of `git ls-remote` runs
    perf script -i host.data > host.txt
    python3 bench/host-phases.py host.txt

The first phase whose key appears anywhere on a stack takes the sample; the order below is the priority.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perf_phases_lib import count  # noqa: E402

PHASES = [
    ("git spawn (posix_spawn, Subprocess set-up, argv/environment)",
     ["_subprocess_spawn", "spawnViaPosixSpawn", "ConfigurationV5spawn", "preSpawn", "createEnv",
      "currentEnvironmentValues", "BackgroundWorkItem", "GitLaunch"]),
    ("git exit (Subprocess's monitor thread, pidfd, waitid)", ["monitorThreadFunc", "waitid", "_pidfd_open"]),
    ("git stdin/stderr pipes (Subprocess AsyncIO thread)", ["AsyncIO", "StandardInputWriter", "SequenceOutput"]),
    ("git stdout: the pipe (NIOPipeBootstrap, reads, relay into the connection)",
     ["PipeBootstrap", "PipeChannel", "GitOutputRelay", "GitOutputPipe", "SSHDirectOutput", "PipePair"]),
    ("access check (AccessGate, RepoStore, tokens)",
     ["AccessGateV9authorize", "AccessGateV15requesterFacts", "RepoStoreV", "TokenStoreV", "MemberKeysCache",
      "KnownKeysV"]),
    ("logging", ["LogHandler", "6LoggerV4info", "6LoggerV3log", "6LoggerV5debug"]),
    ("SSH: libssh (key exchange, crypto, packets, its thread's loop)",
     ["ssh_", "libssh", "EVP_", "SSHConnectionLoop", "SSHMailbox", "SSHChannelRecord", "SSHLogin"]),
    ("git run bookkeeping (runner task group, slot limiter, watchdog)",
     ["GitProcessRunner", "ProcessLimiter", "GitRunControl"]),
    ("HTTP: accept, parse, respond (NIO, Hummingbird)",
     ["HTTPDecoder", "HTTPResponseEncoder", "HTTP1Channel", "Hummingbird", "ServerSocketChannel", "childChannel",
      "BaseStreamSocketChannel", "HTTPServer", "NIOHTTP", "GitHTTPResponder", "ConnectionGuard", "HTTPTimeout"]),
    ("thread start and exit (dispatch's workers, Subprocess's threads)", ["kernel_clone", "do_exit"]),
    ("switching threads (the kernel's scheduler, futex waits and wakes)", ["__schedule", "futex", "try_to_wake_up"]),
    ("event loops waiting (epoll)", ["epoll_wait", "epoll_pwait", "Epoll"]),
    ("Swift concurrency and dispatch (enqueueing and resuming tasks)",
     ["swift_task", "swift_job_run", "_dispatch_", "swift_continuation", "Continuation"]),
]
OTHER = "other (kernel, malloc, runtime without a known caller)"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    skip = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else {"git", "git-upload-pack", "git-receive-pack"}
    counts = count(sys.argv[1], PHASES, OTHER, lambda comm: comm not in skip)
    total = sum(counts.values())
    print(f"{total} samples of the host's own threads")
    for name, n in counts.most_common():
        print(f"{100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
