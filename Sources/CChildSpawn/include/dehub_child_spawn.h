#ifndef DEHUB_CHILD_SPAWN_H
#define DEHUB_CHILD_SPAWN_H

#include <sys/types.h>

/// Spawns `path` with `argv` and `envp` (NULL-terminated) for the test support library:
/// stdin/stdout/stderr from the given descriptors, every other descriptor closed, an empty signal
/// mask and default handlers (whatever the spawning thread blocks), in `directory` when not NULL,
/// and in a new process group led by the child when `new_group` is non-zero.
/// Returns 0 and sets `*pid`, or an errno value.
int dehub_child_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                      const char *directory, int stdin_fd, int stdout_fd, int stderr_fd, int new_group);

#endif
