/*
 * Stubs for the GSSAPI symbols that Debian's static libgit2.a references (its HTTP
 * transport's SPNEGO support). Debian ships no static libgssapi_krb5, and dehub never
 * uses libgit2's network transports, so these are unreachable; each fails if called.
 * Linked only into the static build (LINK_MODE=static).
 */
#include <stddef.h>
#define GSS_S_FAILURE (13u << 16)
typedef unsigned int OM_uint32;
void *GSS_C_NT_HOSTBASED_SERVICE = NULL;
OM_uint32 gss_delete_sec_context(OM_uint32 *m, void *a, void *b) { if (m) *m = 0; return GSS_S_FAILURE; }
OM_uint32 gss_display_status(OM_uint32 *m, OM_uint32 a, int b, void *c, OM_uint32 *d, void *e) { if (m) *m = 0; return GSS_S_FAILURE; }
OM_uint32 gss_import_name(OM_uint32 *m, void *a, void *b, void *c) { if (m) *m = 0; return GSS_S_FAILURE; }
OM_uint32 gss_indicate_mechs(OM_uint32 *m, void *a) { if (m) *m = 0; return GSS_S_FAILURE; }
OM_uint32 gss_init_sec_context(OM_uint32 *m, void *a, void *b, void *c, void *d, OM_uint32 e, OM_uint32 f,
                               void *g, void *h, void *i, void *j, OM_uint32 *k, OM_uint32 *l) { if (m) *m = 0; return GSS_S_FAILURE; }
OM_uint32 gss_release_buffer(OM_uint32 *m, void *a) { if (m) *m = 0; return 0; }
OM_uint32 gss_release_name(OM_uint32 *m, void *a) { if (m) *m = 0; return 0; }
OM_uint32 gss_release_oid_set(OM_uint32 *m, void *a) { if (m) *m = 0; return 0; }
