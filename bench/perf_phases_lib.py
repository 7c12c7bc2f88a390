"""What bench/perf-phases.py and bench/host-phases.py share: the samples of a `perf script` dump, each sorted into
the first phase one of whose keys appears on its stack."""
import collections


def samples(path):
    """(command, frames) for each sample of a `perf script` dump; a frame is its line without the address."""
    comm, stack = None, []
    with open(path, errors="replace") as dump:
        for line in dump:
            if not line.strip():
                if comm is not None:
                    yield comm, stack
                comm, stack = None, []
            elif not line[0].isspace():
                comm = line.split()[0]
            else:
                parts = line.strip().split(None, 1)
                stack.append(parts[-1])
    if comm is not None:
        yield comm, stack


def phase(stack, phases, other):
    """The first of `phases` ((name, keys) pairs, by priority) with a key on `stack`; `other` when none has."""
    text = "\n".join(stack)
    for name, keys in phases:
        if any(key in text for key in keys):
            return name
    return other


def count(path, phases, other, keep):
    """How many samples of the commands `keep` accepts fall in each phase."""
    return collections.Counter(phase(stack, phases, other) for comm, stack in samples(path) if keep(comm))
