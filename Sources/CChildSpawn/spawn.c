#define _GNU_SOURCE
#include "dehub_child_spawn.h"

#include <signal.h>
#include <spawn.h>

int dehub_child_spawn(pid_t *pid, const char *path, char *const argv[], char *const envp[],
                      const char *directory, int stdin_fd, int stdout_fd, int stderr_fd, int new_group) {
    posix_spawn_file_actions_t actions;
    posix_spawnattr_t attributes;
    int rc = posix_spawn_file_actions_init(&actions);
    if (rc != 0) return rc;
    rc = posix_spawnattr_init(&attributes);
    if (rc != 0) { posix_spawn_file_actions_destroy(&actions); return rc; }

    int fds[3] = {stdin_fd, stdout_fd, stderr_fd};
    for (int target = 0; target < 3 && rc == 0; target++) {
        rc = posix_spawn_file_actions_adddup2(&actions, fds[target], target);
    }
    if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    if (rc == 0 && directory != NULL) rc = posix_spawn_file_actions_addchdir_np(&actions, directory);

    sigset_t empty, all;
    sigemptyset(&empty);
    sigfillset(&all);
    short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
    if (new_group) {
        flags |= POSIX_SPAWN_SETPGROUP;
        if (rc == 0) rc = posix_spawnattr_setpgroup(&attributes, 0);
    }
    if (rc == 0) rc = posix_spawnattr_setsigmask(&attributes, &empty);
    if (rc == 0) rc = posix_spawnattr_setsigdefault(&attributes, &all);
    if (rc == 0) rc = posix_spawnattr_setflags(&attributes, flags);
    if (rc == 0) rc = posix_spawn(pid, path, &actions, &attributes, argv, envp);

    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    return rc;
}
