// swift-tools-version:6.0
import PackageDescription

/// Layers, bottom up (dependencies point down only):
///   C shims (CLibPQ, CCurl, COpenSSL) → Postgres, HTTPClient, Crypto
///   OutreachCore (pure domain, no I/O)
///   OutreachStore (SQL + queue), Channels (providers) → OutreachEngine (use cases)
///   OutreachServer, Sandbox (Hummingbird) → outreach (CLI executable)
let package = Package(
    name: "outreach",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "outreach", targets: ["outreach"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        // MARK: C system libraries (module map + shim header only)
        .systemLibrary(
            name: "CLibPQ", pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]),

        // MARK: Safe layers over the C libraries
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        .target(name: "OutreachCrypto", dependencies: ["COpenSSL"]),
        /// Untyped JSON values with a strict parser and a fast writer (provider bodies, sandbox).
        .target(name: "JSON"),

        // MARK: Schema (sql/*.sql embedded in the binary)
        .target(name: "OutreachMigrations", path: "sql", resources: [
            .embedInCode("0001_schema.sql"),
            .embedInCode("0002_due_queue.sql"),
            .embedInCode("0003_hot_path.sql"),
            .embedInCode("0004_workspace_erase.sql"),
            .embedInCode("0005_room_for_updates.sql"),
            .embedInCode("0006_inbound_contact_lookup.sql"),
            .embedInCode("0007_identifier_collation.sql"),
            .embedInCode("0008_trigger_paths.sql"),
            .embedInCode("0009_jobs_due_index.sql"),
            .embedInCode("0010_send_rows_workspace_guard.sql"),
        ]),

        // MARK: Domain
        .target(name: "OutreachCore", dependencies: [
            .product(name: "Mustache", package: "swift-mustache"),
        ]),
        .target(name: "OutreachStore", dependencies: [
            "OutreachCore", "OutreachMigrations", "Postgres", "OutreachCrypto",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Channels", dependencies: [
            "OutreachCore", "HTTPClient", "JSON", "Postgres", "OutreachCrypto",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "OutreachEngine", dependencies: [
            "OutreachCore", "OutreachStore", "Channels", "Postgres", "OutreachCrypto", "HTTPClient", "JSON",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "Yams", package: "Yams"),
        ]),

        // MARK: Faces
        .target(name: "OutreachServer", dependencies: [
            "OutreachEngine", "OutreachStore", "OutreachCore", "OutreachCrypto", "Postgres",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Metrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
        ]),
        .target(name: "Sandbox", dependencies: [
            "OutreachCrypto", "HTTPClient", "JSON",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdCore", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .executableTarget(name: "outreach", dependencies: [
            "OutreachEngine", "OutreachServer", "Sandbox", "Postgres", "OutreachStore", "OutreachCore", "OutreachCrypto",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ], exclude: ["text-order.txt"], linkerSettings: [
            // Release binaries carry the Swift runtime and Foundation inside: every worker then
            // maps only the pages it touches instead of relocating and resolving symbols in a
            // dozen shared Swift libraries (3 MB less resident per worker, README "Performance").
            .unsafeFlags(["-static-stdlib", "-Xlinker", "--start-group", "-Xlinker", "-lCoreFoundation", "-Xlinker", "-l_FoundationICU", "-Xlinker", "-l_FoundationCollections", "-Xlinker", "-l_FoundationCShims", "-Xlinker", "--end-group", "-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs"], .when(configuration: .release)),
            // The functions a worker runs, first and together, instead of spread over the 24 MB
            // of text with 64 KiB of it mapped around each one touched: resident code at load
            // 13 → 8 MB (README "Memory"). `bench/text-order.sh` regenerates the list; a name
            // that no longer exists is skipped.
            .unsafeFlags(["-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Sources/outreach/text-order.txt",
                          "-Xlinker", "--no-warn-symbol-ordering"], .when(configuration: .release)),
        ]),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "HTTPClientTests", dependencies: [
            "HTTPClient", .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "OutreachCryptoTests", dependencies: ["OutreachCrypto"]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "OutreachCoreTests", dependencies: ["OutreachCore", "OutreachCrypto"]),
        .testTarget(name: "OutreachStoreTests", dependencies: ["OutreachStore", "TestSupport"]),
        .testTarget(name: "ChannelsTests", dependencies: [
            "Channels", "Sandbox", "JSON", "TestSupport", "OutreachStore", "HTTPClient",
            .product(name: "Hummingbird", package: "hummingbird"),
        ]),
        .testTarget(name: "SandboxTests", dependencies: [
            "Sandbox", "OutreachCrypto", "JSON", "HTTPClient", .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: [
            "TestSupport", "Postgres", "OutreachStore", "OutreachEngine", "OutreachCore", "OutreachMigrations", "HTTPClient",
            "OutreachCrypto", .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "OutreachServerTests", dependencies: [
            "OutreachServer", "OutreachEngine", "OutreachStore", "OutreachCore", "OutreachCrypto", "Postgres",
            "Sandbox", "JSON", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
        ]),
        .testTarget(name: "OperationsTests"),
        .testTarget(name: "AdminTests", dependencies: [
            "OutreachEngine", "OutreachStore", "OutreachCore", "Postgres", "TestSupport",
        ]),
        .testTarget(name: "AssistantTests", dependencies: [
            "OutreachEngine", "OutreachStore", "OutreachCore", "Postgres", "TestSupport", "OutreachServer",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)

/// This package's release code is emitted one function per section, so that the link can
/// place the functions a worker runs together (`Sources/outreach/text-order.txt`); without it
/// a listed function drags its whole source file's code along.
let functionSections: [SwiftSetting] = [.unsafeFlags(["-Xfrontend", "-function-sections"], .when(configuration: .release))]

for target in package.targets where [.regular, .executable].contains(target.type) && !(target.path ?? "").hasPrefix("Tests") {
    target.swiftSettings = (target.swiftSettings ?? []) + functionSections
}
