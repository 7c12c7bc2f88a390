#include <git2.h>
#include "dehub_git2_options.h"

/*
 * libgit2 re-hashes every object it reads (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, on by default); git does not.
 * Objects that reach dehub were hashed when they arrived: index-pack computes every pushed object's id from its
 * content (and the host runs with receive.fsckObjects). Re-hashing on each read only guards against a corrupt
 * object store, which `git fsck` is for, and costs about a tenth of verification time.
 */
int dehub_git2_disable_strict_hash_verification(void) {
    return git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
}
