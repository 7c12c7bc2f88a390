/*
 * Start-up fix for the static executable (LINK_MODE=static with -static-executable; see
 * deploy/README-static.md, "Start-up and the unwinder").
 *
 * A static link uses GCC's crtbeginT.o, whose frame_dummy() registers the whole .eh_frame with
 * libgcc's unwinder (__register_frame_info). The first unwind then sorts every FDE of the binary:
 * about 68,000 of them, 20-25 ms. Swift's async `main` unwinds at start-up (dispatch_main() ends the
 * main thread with pthread_exit(), a forced unwind), and exit() waits for that sort.
 *
 * deploy/static-build.sh links with -Xlinker --wrap=__register_frame_info and
 * --wrap=__deregister_frame_info, so the crt calls land here and do nothing. The unwinder then
 * finds FDEs as in a dynamic executable: dl_iterate_phdr() and a binary search of .eh_frame_hdr
 * (PT_GNU_EH_FRAME), which glibc supports in static executables. Both wrappers must exist together:
 * deregistering a frame table that was never registered aborts in libgcc.
 * Without the --wrap flags these two functions are unused and harmless.
 */
struct object;

void __wrap___register_frame_info(const void *begin, struct object *ob) {
    (void)begin;
    (void)ob;
}

void *__wrap___deregister_frame_info(const void *begin) {
    (void)begin;
    return 0;
}
