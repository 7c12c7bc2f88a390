import Foundation
// swift-tools-version: 6.2
import PackageDescription

// `LINK_MODE=static` links the C libraries from Debian's static archives (see deploy/README-static.md);
// the default links their shared objects. The module maps carry no `link` lines, so that
// `-lgit2` never picks the .so behind our back in the static build.
let linkMode = ProcessInfo.processInfo.environment["LINK_MODE"] ?? "dynamic"
let archiveDir = "/usr/lib/x86_64-linux-gnu/"
let staticArchives = [
    "libgit2.a", "libmbedtls.a", "libmbedx509.a", "libmbedcrypto.a", "libhttp_parser.a",
    "libssh2.a", "libssl.a", "libcrypto.a", "libpcre2-8.a", "libz.a",
    "libgpgme.a", "libassuan.a", "libgpg-error.a", "libyaml.a",
]
let cLibraries: [LinkerSetting] =
    linkMode == "static"
    ? [.unsafeFlags(staticArchives.map { archiveDir + $0 })]
    : [.linkedLibrary("git2"), .linkedLibrary("gpgme"), .linkedLibrary("yaml")]
/// The web view renders READMEs with Debian's cmark-gfm (core and the GFM extensions).
let markdownLibraries: [LinkerSetting] =
    linkMode == "static"
    ? [.unsafeFlags([archiveDir + "libcmark-gfm-extensions.a", archiveDir + "libcmark-gfm.a"])]
    : [.linkedLibrary("cmark-gfm-extensions"), .linkedLibrary("cmark-gfm")]

let package = Package(
    name: "dehub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dehub", targets: ["dehub"]),
        .library(name: "DehubCore", targets: ["DehubCore"]),
        .library(name: "DehubVerification", targets: ["DehubVerification"]),
        .library(name: "DehubReplication", targets: ["DehubReplication"]),
        .executable(name: "dehub-host", targets: ["dehub-host"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssh", from: "0.15.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CGPGME", pkgConfig: "gpgme", providers: [.apt(["libgpgme-dev"])]),
        .target(name: "CGSSStub", path: "Sources/CGSSStub"),
        .systemLibrary(name: "CCmarkGFM", providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]),
        // libssh's server API (the embedded SSH server's transport), with a few C helpers.
        .target(name: "CLibSSH", path: "Sources/CLibSSH", linkerSettings: [.linkedLibrary("ssh")]),

        // Pure core: models, strict YAML, fingerprints, access control, the verification engine over ports.
        .target(
            name: "DehubCore",
            dependencies: ["CYAML", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Adapter: git objects through libgit2.
        .target(name: "CGit2Options", path: "Sources/CGit2Options"),
        // posix_spawn with a clean signal mask, closed descriptors and a process group (test support only).
        .target(name: "CChildSpawn", path: "Sources/CChildSpawn"),
        .target(
            name: "DehubGit", dependencies: ["DehubCore", "CGit2", "CGit2Options"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Adapter: in-process OpenPGP and SSHSIG verification; signing through gpgme and ssh-keygen.
        .target(
            name: "DehubSignatures",
            dependencies: [
                "DehubCore", "CGPGME",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Verifying ref updates and histories exactly as the hook does, for every caller (hook, CLI, host, mirrors).
        .target(
            name: "DehubVerification",
            dependencies: ["DehubCore", "DehubGit", "DehubSignatures"],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Fetch, verify, advance: replicas of a dehub repository (git-remote-dehub, host mirrors, cluster replicas).
        .target(
            name: "DehubReplication",
            dependencies: [
                "DehubCore", "DehubGit", "DehubVerification", .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The commands, as a library so tests can reach the pieces.
        .target(
            name: "DehubCLI",
            dependencies: [
                "DehubCore", "DehubGit", "DehubSignatures", "DehubVerification", "DehubReplication", "DehubEvents",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // The event stream's client (SSE over the system's curl, the line stream over the system's ssh), used by
        // `dehub watch` and the host's mirrors; no NIO, so the static hook stays as it was.
        .target(
            name: "DehubEvents",
            dependencies: ["DehubCore", .product(name: "Subprocess", package: "swift-subprocess")],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "dehub",
            dependencies: ["DehubCLI"] + (linkMode == "static" ? ["CGSSStub"] : []),
            swiftSettings: [.swiftLanguageMode(.v6)],
            linkerSettings: cLibraries
        ),
        // Generates signed histories for `make bench` (bench/); not part of the product.
        .executableTarget(
            name: "dehub-bench",
            dependencies: [
                "DehubCore", "DehubGit", "DehubSignatures", .product(name: "Crypto", package: "swift-crypto"),
            ],
            linkerSettings: cLibraries
        ),
        .target(
            name: "DehubTestSupport",
            dependencies: ["DehubCore", "CChildSpawn"]
        ),

        // The web view of the host's repositories: server-rendered pages, verdicts from the engine.
        .target(
            name: "DehubWeb",
            dependencies: [
                "DehubCore", "DehubGit", "DehubSignatures", "CCmarkGFM",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        // Cluster agreement: a small etcd v3 client (JSON gateway) and the ref store the cluster's nodes share.
        .target(
            name: "DehubCluster",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),

        // The git host: embedded SSH and smart HTTP over bare repos guarded by the dehub hook.
        .target(
            name: "DehubHost",
            dependencies: [
                "DehubCore", "DehubWeb", "CLibSSH",
                "DehubReplication", "DehubEvents",  // host mirrors (issue 15): the core, and the upstream's events
                "DehubCluster",
                "DehubVerification", "DehubGit",  // cluster replicas verify with the hook's engine in process
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: [.swiftLanguageMode(.v6)]
        ),
        .executableTarget(
            name: "dehub-host", dependencies: ["DehubHost"] + (linkMode == "static" ? ["CGSSStub"] : []),
            linkerSettings: cLibraries + markdownLibraries),

        .testTarget(name: "DehubCoreTests", dependencies: ["DehubCore", "DehubTestSupport"], linkerSettings: cLibraries),
        .testTarget(name: "DehubGitTests", dependencies: ["DehubGit", "DehubTestSupport"], linkerSettings: cLibraries),
        .testTarget(
            name: "DehubSignaturesTests",
            dependencies: ["DehubSignatures", "DehubTestSupport"],
            linkerSettings: cLibraries
        ),
        .testTarget(
            name: "DehubCLITests",
            dependencies: ["DehubCLI", "DehubVerification", "DehubTestSupport"],
            linkerSettings: cLibraries
        ),
        .testTarget(
            name: "DehubReplicationTests",
            dependencies: ["DehubReplication", "DehubVerification", "DehubTestSupport"],
            linkerSettings: cLibraries
        ),
        .testTarget(
            name: "DehubHostTests",
            // NIOSSH: the tests' own SSH clients, which misbehave on purpose (forged signatures, idle sessions).
            dependencies: ["DehubHost", "DehubCluster", "DehubTestSupport", .product(name: "NIOSSH", package: "swift-nio-ssh")],
            linkerSettings: cLibraries + markdownLibraries),
        .testTarget(
            name: "DehubWebTests", dependencies: ["DehubWeb", "DehubHost", "DehubTestSupport"],
            linkerSettings: cLibraries + markdownLibraries),
        .testTarget(name: "DehubEventsTests", dependencies: ["DehubEvents", "DehubTestSupport"], linkerSettings: cLibraries),
        .testTarget(name: "DehubClusterTests", dependencies: ["DehubCluster", "DehubCore", "DehubTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
