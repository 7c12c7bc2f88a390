#ifndef DEHUB_GIT2_OPTIONS_H
#include <stddef.h>
#define DEHUB_GIT2_OPTIONS_H
/* git_libgit2_opts is variadic, which Swift cannot call: one C function per option dehub sets. */
int dehub_git2_disable_strict_hash_verification(void);
int dehub_git2_set_commit_and_tree_cache_limit(size_t bytes);
#endif
