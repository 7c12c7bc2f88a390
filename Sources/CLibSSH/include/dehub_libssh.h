#ifndef DEHUB_LIBSSH_H
#define DEHUB_LIBSSH_H

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <libssh/callbacks.h>

/// The signature algorithm a public-key USERAUTH_REQUEST names (`ssh-rsa`, `rsa-sha2-256`, ...), which libssh
/// 0.10 keeps but does not export. Read through a copy of libssh 0.10's message layout, and only when that copy
/// proves right for this message (its user name and key are the ones the exported accessors return) and the
/// library is 0.10.x; NULL otherwise (then the caller cannot tell SHA-1 from SHA-2 RSA probes).
const char *dehub_ssh_message_auth_sigtype(ssh_message msg);

/// Whether this libssh is one `dehub_ssh_message_auth_sigtype` knows (0.10.x): 1 or 0.
int dehub_ssh_sigtype_readable(void);

/// Imports an OpenSSH-format private key (PEM text) as the bind's host key. SSH_OK or SSH_ERROR.
int dehub_ssh_bind_import_host_key(ssh_bind bind, const char *pem);

/// Sets a string option of the bind. SSH_OK or SSH_ERROR.
int dehub_ssh_bind_set_string(ssh_bind bind, enum ssh_bind_options_e option, const char *value);

/// Sets an int option of the bind (e.g. SSH_BIND_OPTIONS_PROCESS_CONFIG, as a bool).
int dehub_ssh_bind_set_bool(ssh_bind bind, enum ssh_bind_options_e option, int value);

/// Sets an int option of the bind (e.g. SSH_BIND_OPTIONS_LOG_VERBOSITY).
int dehub_ssh_bind_set_int(ssh_bind bind, enum ssh_bind_options_e option, int value);

/// Sets an int option of a session (e.g. SSH_OPTIONS_TIMEOUT as a long).
int dehub_ssh_set_long(ssh_session session, enum ssh_options_e option, long value);

/// Sends SSH_MSG_USERAUTH_BANNER with `text`.
int dehub_ssh_send_banner(ssh_session session, const char *text);

/// Acknowledges received packets at once (Linux TCP_QUICKACK; not sticky).
void dehub_tcp_quickack(int fd);

/// A pipe, both ends close-on-exec (made atomically, so no child spawned meanwhile inherits them), holding
/// `capacity` bytes when the kernel allows (`F_SETPIPE_SZ`; else its default). 0, or -1 with errno set.
int dehub_pipe(int ends[2], int capacity);

/// A wake-up descriptor (eventfd, non-blocking): `dehub_wake` makes it readable, `dehub_drain` clears it. -1 on error.
int dehub_wake_fd(void);
void dehub_wake(int fd);
void dehub_drain(int fd);

#endif
