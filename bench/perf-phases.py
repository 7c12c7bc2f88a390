#!/usr/bin/env python3
"""Sorts the samples of a `perf script` dump of dehub into phases (credential check, tree diff, YAML, walks,
start-up...) by the frames on each sample's stack, and prints each phase's share. Used for BENCHMARKS.md:

    perf record -F 1000 --call-graph dwarf,16384 -o verify.data -- dehub -C REPO verify --range ROOT..main -q
    perf script -i verify.data > verify.txt
    python3 bench/perf-phases.py verify.txt [COMM,COMM...]   # e.g. pre-receive,oot.default-qos for a hook copy

The first phase whose key appears anywhere on a stack takes the sample; the order below is the priority.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from perf_phases_lib import count  # noqa: E402

PHASES = [
    ("credential check (SSHSIG / OpenPGP verify)", ["CredentialChecker", "ED25519", "verifySSH", "verifyOpenPGP"]),
    ("tree diff (git_diff_tree_to_tree)", ["changedFiles"]),
    ("payload YAML parse + decode", ["CommitMessageV5parse", "StrictYAMLReader", "BlockYAMLScanner", "PayloadDecoder"]),
    ("commit object reads (lookup, raw message, parent tree)",
     ["RepositoryC6commit", "rawMessage", "treeID8ofCommit", "ReadingAadEP6commit"]),
    ("governing config", ["ConfigLoader"]),
    ("fingerprint (SHA-256)", ["FingerprintV6change"]),
    ("root-commit walks (ancestry)", ["rootCommits", "AncestryCheck"]),
    ("range walk (revwalk, or the one-pass first-parent walk)", ["commits4from", "commitsNotReachable", "linearHistory"]),
    ("verdict cache: answering a commit from it (format §9.3)", ["cachedVerdict", "answerFromCache", "verdictKey", "VerdictCacheC6record", "VerdictCacheFile"]),
    ("libgit2 teardown (freeing the object cache at exit)", ["git_repository_free"]),
    ("other engine work (access control, verdicts)", ["CommitVerifier", "ParallelVerification"]),
    ("libgit2 init (mbedTLS loads the CA bundle)", ["libgit2Runtime", "mbedtls_x509"]),
    ("repository open + git config", ["openFromEnvironment", "RepositoryC4open", "GitConfigLoader", "git_repository_open"]),
    ("argument parsing (swift-argument-parser)", ["parseAsRoot", "ArgumentParser"]),
    ("dynamic loading + relocation (ld.so)",
     ["_dl_start", "dl_main", "_dl_relocate", "_dl_map_object", "_dl_init", "_dl_runtime_resolve", "_dl_fixup"]),
    ("process exec/exit (kernel)", ["execve", "exit_group", "do_exit", "bprm_execve"]),
]
OTHER = "other (kernel, malloc, runtime without a known caller)"


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    wanted = set(sys.argv[2].split(",")) if len(sys.argv) > 2 else None
    counts = count(sys.argv[1], PHASES, OTHER, lambda comm: wanted is None or comm in wanted)
    total = sum(counts.values())
    if total == 0:
        sys.exit("no samples")
    for name, n in counts.most_common():
        print(f"{100 * n / total:5.1f} %  {name}")
    print(f"{total} samples")


if __name__ == "__main__":
    main()
