#if canImport(Glibc)
    import Glibc
#endif

/// The cores a verification spreads its commits over by default.
public enum ProcessorCount {
    public static var value: Int {
        #if canImport(Glibc)
            return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
            return 2
        #endif
    }
}
