/*
 * The static hook does not set up libgit2's network transports (LINK_MODE=static; deploy/README-static.md,
 * "Start-up and the CA bundle").
 *
 * git_libgit2_init() initialises every transport it was built with, on every start: for Debian's libgit2 that is
 * libssh2 (which initialises OpenSSL and loads its engines) and an mbedTLS configuration with a seeded random
 * generator, about half of libgit2's start-up in the hook. dehub never uses libgit2's network transports (it makes
 * no git_remote, git_clone or fetch call), so deploy/static-build.sh links with -Xlinker --wrap=libssh2_init and
 * --wrap=git_mbedtls_stream_global_init, and libgit2's calls land here: nothing is set up. libssh2 initialises
 * itself on first use should it ever be used; an HTTPS transport would have no TLS configuration (the CA bundle is
 * already not loaded, static_no_ca.c: no server could be trusted).
 * Without the --wrap flags these functions are unused and harmless.
 */
int __wrap_libssh2_init(int flags) {
    (void)flags;
    return 0;
}

int __wrap_git_mbedtls_stream_global_init(void) {
    return 0;
}
