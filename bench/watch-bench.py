#!/usr/bin/env python3
"""The event stream's figures (issue 13), against a running dehub-host:
  1. the host's extra resident memory with WATCHERS idle SSE watchers of one repo (after they got `ready`);
  2. one push reaching all of them: latency from the end of `git push` to each watcher's `event: ref`
     (median and worst);
  3. a push's duration with the watchers attached against none (PUSHES pushes with them, between two blocks of
     PUSHES pushes without: medians).
Usage: watch-bench.py HOST_PID HTTP_PORT PUSH_URL WORK_TREE [WATCHERS] [PUSHES]  (GIT_SSH_COMMAND set by the caller)
Prints `key value` lines."""
import os, selectors, socket, statistics, subprocess, sys, time

pid, port, push_url, tree = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
watchers = int(sys.argv[5]) if len(sys.argv) > 5 else 500
pushes = int(sys.argv[6]) if len(sys.argv) > 6 else 15

def rss_kib():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])

def settle():
    time.sleep(2)

def push(n):
    with open(os.path.join(tree, "n.txt"), "w") as f:
        f.write(f"{n} {time.time()}\n")
    subprocess.run(["git", "-C", tree, "commit", "-qam", f"push {n}: signed"], check=True)
    start = time.monotonic()
    subprocess.run(["git", "-C", tree, "push", "-q", push_url, "HEAD:main"], check=True)
    return start, time.monotonic()

sel = selectors.DefaultSelector()
for _ in range(3):
    push(-1)

# Warm-up: a few watchers come and go, so that one-time costs (the repo's first read, thread pools) are paid.
for _ in range(20):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /demo.git/dehub/events HTTP/1.1\r\nHost: bench\r\n\r\n")
    s.settimeout(10)
    data = b""
    while b"event: ready" not in data:
        data += s.recv(65536)
    s.close()

# Push durations without watchers, first block (a second block follows the watchers, against drift).
without = []
for k in range(pushes):
    s, e = push(300 + k)
    without.append((e - s) * 1000)
    time.sleep(0.05)
settle()
before = rss_kib()

socks, buffers, ready, got = [], {}, set(), {}
for i in range(watchers):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /demo.git/dehub/events HTTP/1.1\r\nHost: bench\r\n\r\n")
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
    socks.append(s)
    buffers[i] = b""

def pump(until, done):
    while time.monotonic() < until and not done():
        for key, _ in sel.select(timeout=0.2):
            i = key.data
            try:
                data = key.fileobj.recv(65536)
            except BlockingIOError:
                continue
            if not data:
                raise SystemExit(f"watcher {i} closed by the host")
            now = time.monotonic()
            buffers[i] += data
            if i not in ready and b"event: ready" in buffers[i]:
                ready.add(i)
                buffers[i] = b""
            elif i in ready and i not in got and b"event: ref" in buffers[i]:
                got[i] = now
                buffers[i] = b""
            elif len(buffers[i]) > 1 << 20:
                buffers[i] = b""

pump(time.monotonic() + 120, lambda: len(ready) == watchers)
if len(ready) != watchers:
    raise SystemExit(f"only {len(ready)} of {watchers} watchers got ready")
settle()
pump(time.monotonic() + 0.5, lambda: False)
after = rss_kib()
print(f"watchers {watchers}")
print(f"rss_before_kib {before}")
print(f"rss_after_kib {after}")
print(f"rss_extra_kib {after - before}")
print(f"rss_per_watcher_bytes {(after - before) * 1024 // watchers}")

_, end = push(0)
pump(time.monotonic() + 30, lambda: len(got) == watchers)
lat = sorted((t - end) * 1000 for t in got.values())
print(f"reached {len(got)}")
print(f"latency_median_ms {statistics.median(lat):.1f}")
print(f"latency_worst_ms {lat[-1]:.1f}")

# Push durations: with the watchers (draining them between pushes) and, after they are closed, without.
def timed(n):
    s, e = push(n)
    got.clear()
    pump(time.monotonic() + 10, lambda: len(got) == watchers)
    return (e - s) * 1000

with_w = [timed(100 + k) for k in range(pushes)]
for s in socks:
    sel.unregister(s)
    s.close()
settle()
for k in range(pushes):
    s, e = push(200 + k)
    without.append((e - s) * 1000)
    time.sleep(0.05)
print(f"push_with_median_ms {statistics.median(with_w):.1f}")
print(f"push_without_median_ms {statistics.median(without):.1f}")
print(f"push_ratio {statistics.median(with_w) / statistics.median(without):.3f}")
