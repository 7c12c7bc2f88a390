/* GSSAPI stubs for the static build; no public API. */
