/*
 * The static hook does not parse the system's CA bundle (LINK_MODE=static; deploy/README-static.md,
 * "Start-up and the CA bundle").
 *
 * Debian's libgit2 (built with mbedTLS) loads /etc/ssl/certs/ca-certificates.crt in git_libgit2_init():
 * about 140 certificates parsed on every start, ~6.7 ms of CPU, a large share of what the hook adds to
 * a one-commit push. dehub never uses libgit2's network transports, so deploy/static-build.sh links
 * with -Xlinker --wrap=mbedtls_x509_crt_parse_file and --wrap=mbedtls_x509_crt_parse_path, and
 * libgit2's calls land here: nothing is loaded and nothing is trusted. Should an HTTPS connection ever
 * be made, no server certificate would verify (fail closed).
 * Without the --wrap flags these functions are unused and harmless.
 */
struct mbedtls_x509_crt;

int __wrap_mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path) {
    (void)chain;
    (void)path;
    return 0;
}

int __wrap_mbedtls_x509_crt_parse_path(struct mbedtls_x509_crt *chain, const char *path) {
    (void)chain;
    (void)path;
    return 0;
}
