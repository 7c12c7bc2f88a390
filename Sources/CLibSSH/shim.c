#define _GNU_SOURCE
#include "dehub_libssh.h"
#include <fcntl.h>

#include <stdbool.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* libssh 0.10.x, include/libssh/messages.h: the leading part of struct ssh_message_struct. */
struct dehub_ssh_auth_request_0_10 {
    char *username;
    int method;
    char *password;
    struct ssh_key_struct *pubkey;
    char *sigtype;
    enum ssh_publickey_state_e signature_state;
    char kbdint_response;
};

struct dehub_ssh_message_head_0_10 {
    ssh_session session;
    int type;
    struct dehub_ssh_auth_request_0_10 auth_request;
};

int dehub_ssh_sigtype_readable(void) {
    /* 0.10.0 <= version < 0.11.0 */
    return ssh_version(SSH_VERSION_INT(0, 10, 0)) != NULL && ssh_version(SSH_VERSION_INT(0, 11, 0)) == NULL;
}

const char *dehub_ssh_message_auth_sigtype(ssh_message msg) {
    if (msg == NULL || !dehub_ssh_sigtype_readable()) return NULL;
    if (ssh_message_type(msg) != SSH_REQUEST_AUTH || ssh_message_subtype(msg) != SSH_AUTH_METHOD_PUBLICKEY) return NULL;
    const struct dehub_ssh_message_head_0_10 *head = (const struct dehub_ssh_message_head_0_10 *)msg;
    if (head->auth_request.username != ssh_message_auth_user(msg)) return NULL;
    if (head->auth_request.pubkey != ssh_message_auth_pubkey(msg)) return NULL;
    if (head->auth_request.method != SSH_AUTH_METHOD_PUBLICKEY) return NULL;
    return head->auth_request.sigtype;
}

int dehub_ssh_bind_import_host_key(ssh_bind bind, const char *pem) {
    ssh_key key = NULL;
    if (ssh_pki_import_privkey_base64(pem, NULL, NULL, NULL, &key) != SSH_OK || key == NULL) return SSH_ERROR;
    /* The bind takes the key (and frees it with itself). */
    return ssh_bind_options_set(bind, SSH_BIND_OPTIONS_IMPORT_KEY, key) == SSH_OK ? SSH_OK : SSH_ERROR;
}

int dehub_ssh_bind_set_string(ssh_bind bind, enum ssh_bind_options_e option, const char *value) {
    return ssh_bind_options_set(bind, option, value) == SSH_OK ? SSH_OK : SSH_ERROR;
}

int dehub_ssh_bind_set_bool(ssh_bind bind, enum ssh_bind_options_e option, int value) {
    bool flag = value != 0;
    return ssh_bind_options_set(bind, option, &flag) == SSH_OK ? SSH_OK : SSH_ERROR;
}

int dehub_ssh_bind_set_int(ssh_bind bind, enum ssh_bind_options_e option, int value) {
    return ssh_bind_options_set(bind, option, &value) == SSH_OK ? SSH_OK : SSH_ERROR;
}

int dehub_ssh_set_long(ssh_session session, enum ssh_options_e option, long value) {
    return ssh_options_set(session, option, &value) == SSH_OK ? SSH_OK : SSH_ERROR;
}

int dehub_ssh_send_banner(ssh_session session, const char *text) {
    ssh_string banner = ssh_string_from_char(text);
    if (banner == NULL) return SSH_ERROR;
    int rc = ssh_send_issue_banner(session, banner);
    ssh_string_free(banner);
    return rc;
}

void dehub_tcp_quickack(int fd) {
#ifdef TCP_QUICKACK
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
#else
    (void)fd;
#endif
}

int dehub_pipe(int ends[2], int capacity) {
    if (pipe2(ends, O_CLOEXEC) != 0) return -1;
    if (capacity > 0) (void)fcntl(ends[0], F_SETPIPE_SZ, capacity);
    return 0;
}

int dehub_wake_fd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

void dehub_wake(int fd) {
    uint64_t one = 1;
    ssize_t written = write(fd, &one, sizeof one);
    (void)written;
}

void dehub_drain(int fd) {
    uint64_t count;
    ssize_t got = read(fd, &count, sizeof count);
    (void)got;
}
