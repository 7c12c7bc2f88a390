/* Link shims for the static build only (GSSAPI stubs, unwinder frame registry); no public API. */
