#ifndef DEHUB_GIT2_OPTIONS_H
#define DEHUB_GIT2_OPTIONS_H
/* git_libgit2_opts is variadic, which Swift cannot call: one C function per option dehub sets. */
int dehub_git2_disable_strict_hash_verification(void);
#endif
