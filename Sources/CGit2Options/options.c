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

/*
 * The largest commit and tree libgit2 keeps in its object cache (0: none). A one-pass history walk reads each commit
 * once and keeps the trees it needs itself, so libgit2's copies only grow the heap (every later allocation then
 * touches fresh pages).
 */
int dehub_git2_set_commit_and_tree_cache_limit(size_t bytes) {
    int error = git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT, bytes);
    return error < 0 ? error : git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, bytes);
}
