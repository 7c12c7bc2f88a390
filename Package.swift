// swift-tools-version: 6.2
import PackageDescription
import Foundation

// `LINK_MODE=static` links the C libraries from Debian's static archives (see deploy/static-build.md);
// the default links their shared objects. The module maps carry no `link` lines, so that
// `-lgit2` never picks the .so behind our back in the static build.
let linkMode = ProcessInfo.processInfo.environment["LINK_MODE"] ?? "dynamic"
let archiveDir = "/usr/lib/x86_64-linux-gnu/"
let staticArchives = [
    "libgit2.a", "libmbedtls.a", "libmbedx509.a", "libmbedcrypto.a", "libhttp_parser.a",
    "libssh2.a", "libssl.a", "libcrypto.a", "libpcre2-8.a", "libz.a",
    "libgpgme.a", "libassuan.a", "libgpg-error.a", "libyaml.a",
]
let cLibraries: [LinkerSetting] = linkMode == "static"
    ? [.unsafeFlags(staticArchives.map { archiveDir + $0 })]
    : [.linkedLibrary("git2"), .linkedLibrary("gpgme"), .linkedLibrary("yaml")]

let package = Package(
    name: "dehub",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "dehub", targets: ["dehub"]),
        .library(name: "DehubCore", targets: ["DehubCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2", traits: []),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CGPGME", pkgConfig: "gpgme", providers: [.apt(["libgpgme-dev"])]),
        .target(name: "CGSSStub", path: "Sources/CGSSStub"),

        // Pure core: models, strict YAML, fingerprints, access control, the verification engine over ports.
        .target(
            name: "DehubCore",
            dependencies: ["CYAML", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Adapter: git objects through libgit2.
        .target(name: "DehubGit", dependencies: ["DehubCore", "CGit2"]),
        // Adapter: in-process OpenPGP and SSHSIG verification; signing through gpgme and ssh-keygen.
        .target(
            name: "DehubSignatures",
            dependencies: [
                "DehubCore", "CGPGME",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Subprocess", package: "swift-subprocess"),
            ]
        ),
        // The commands, as a library so tests can reach the pieces.
        .target(
            name: "DehubCLI",
            dependencies: [
                "DehubCore", "DehubGit", "DehubSignatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "dehub",
            dependencies: ["DehubCLI"] + (linkMode == "static" ? ["CGSSStub"] : []),
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
            dependencies: ["DehubCore", .product(name: "Subprocess", package: "swift-subprocess")]
        ),

        .testTarget(name: "DehubCoreTests", dependencies: ["DehubCore"], linkerSettings: cLibraries),
        .testTarget(name: "DehubGitTests", dependencies: ["DehubGit", "DehubTestSupport"], linkerSettings: cLibraries),
        .testTarget(
            name: "DehubSignaturesTests",
            dependencies: ["DehubSignatures", "DehubTestSupport"],
            linkerSettings: cLibraries
        ),
        .testTarget(
            name: "DehubCLITests",
            dependencies: ["DehubCLI", "DehubTestSupport"],
            linkerSettings: cLibraries
        ),
    ],
    swiftLanguageModes: [.v5]
)
