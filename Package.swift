// swift-tools-version: 6.1
import PackageDescription

/// One settings array for every target: Swift 6 language mode plus the upcoming features we hold ourselves to.
let settings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "SkillsLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "skills-ledger", targets: ["skills-ledger"]),
        .library(name: "SkillsDomain", targets: ["SkillsDomain"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "LedgerPostgres", targets: ["LedgerPostgres"]),
        .library(name: "Intake", targets: ["Intake"]),
        .library(name: "Rules", targets: ["Rules"]),
        .library(name: "Reconciliation", targets: ["Reconciliation"]),
        .library(name: "Reports", targets: ["Reports"]),
        .library(name: "SkillsLedgerCore", targets: ["SkillsLedgerCore"]),
        .library(name: "SkillsLedgerService", targets: ["SkillsLedgerService"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        .target(name: "SkillsDomain", swiftSettings: settings),
        .target(
            name: "Ledger",
            dependencies: [
                "SkillsDomain",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's C interface, for the month-end scans that read a row's bytes in place and the inserts of every
                // event appended (`SteppedStatement`).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: settings
        ),
        // The PostgreSQL backend of `LedgerStorage`: the only other target that speaks SQL. Nothing depends on it yet, so
        // the SQLite-only build of the other targets is unchanged (docs/postgres-status.md).
        .target(
            name: "LedgerPostgres",
            dependencies: [
                "SkillsDomain", "Ledger",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["Schema.sql"],
            swiftSettings: settings
        ),
        .target(name: "Intake", dependencies: ["SkillsDomain"], swiftSettings: settings),
        .target(
            name: "Rules",
            dependencies: ["SkillsDomain", "Ledger", .product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        .target(
            name: "Reconciliation",
            dependencies: ["SkillsDomain", "Ledger", "Rules", "Intake", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings
        ),
        .target(
            name: "Reports",
            dependencies: ["SkillsDomain", "Ledger", "Rules", "Reconciliation", "Generator", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: settings
        ),
        .target(name: "Generator", dependencies: ["SkillsDomain"], swiftSettings: settings),
        .target(
            name: "SkillsLedgerCore",
            dependencies: ["SkillsDomain", "Intake", "Ledger", "LedgerPostgres", "Rules", "Reconciliation", "Reports", "Generator"],
            swiftSettings: settings
        ),
        .target(
            name: "SkillsLedgerService",
            dependencies: [
                "SkillsDomain", "Intake", "Ledger", "Rules", "Reconciliation", "Reports", "SkillsLedgerCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["Templates"],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "skills-ledger",
            dependencies: [
                "SkillsDomain", "Intake", "Ledger", "Reports", "Rules", "Generator", "SkillsLedgerCore", "SkillsLedgerService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: settings
        ),
        .target(name: "LedgerTesting", dependencies: ["SkillsDomain", "Ledger"], swiftSettings: settings),
        .testTarget(name: "SkillsDomainTests", dependencies: ["SkillsDomain", .product(name: "PropertyBased", package: "swift-property-based")], swiftSettings: settings),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "LedgerTesting", "Intake", .product(name: "GRDB", package: "GRDB.swift")],
                    swiftSettings: settings),
        .testTarget(
            name: "LedgerPostgresTests",
            dependencies: ["LedgerPostgres", "Ledger", "LedgerTesting", "SkillsDomain", "Intake", "SkillsLedgerCore",
                           .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        .testTarget(name: "IntakeTests", dependencies: ["Intake"], swiftSettings: settings),
        .testTarget(name: "RulesTests", dependencies: ["Rules", "Ledger", "LedgerTesting", "Intake"], swiftSettings: settings),
        .testTarget(
            name: "ReconciliationTests",
            dependencies: ["Reconciliation", "Reports", "Ledger", "LedgerTesting", "Intake",
                           .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "Reconciliation", "SkillsDomain", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            exclude: ["read_xlsx.py"],
            swiftSettings: settings
        ),
        .testTarget(name: "GeneratorTests", dependencies: ["Generator", "SkillsDomain", "Intake"], swiftSettings: settings),
        .testTarget(
            name: "SkillsLedgerCoreTests",
            dependencies: ["SkillsLedgerCore", "SkillsDomain", "Ledger", "LedgerTesting", "Intake", "Reports", "Rules", "Reconciliation"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "SkillsLedgerServiceTests",
            dependencies: ["SkillsLedgerService", "SkillsLedgerCore", "SkillsDomain", "Ledger", "LedgerTesting", "LedgerPostgres",
                           .product(name: "PostgresNIO", package: "postgres-nio"),
                           .product(name: "HummingbirdTesting", package: "hummingbird"),
                           .product(name: "Logging", package: "swift-log"), .product(name: "InMemoryLogging", package: "swift-log"),
                           .product(name: "Yams", package: "Yams")],
            swiftSettings: settings
        ),
        .testTarget(name: "CLITests", dependencies: ["SkillsDomain"], exclude: ["Golden"], swiftSettings: settings),
        .testTarget(
            name: "ReliabilityTests",
            dependencies: ["Ledger", "LedgerTesting", "Intake", "SkillsDomain", "Rules", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: settings
        ),
    ]
)

// Benchmarks (ordo-one/benchmark) are built only when asked for, so that a plain `swift build` / `swift test` never
// fetches or compiles them (Hummingbird gates its benchmarks the same way):
//     SKILLS_LEDGER_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
if Context.environment["SKILLS_LEDGER_BENCHMARKS"] != nil {
    package.dependencies.append(.package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]))
    package.targets.append(.executableTarget(
        name: "HotPaths",
        dependencies: [
            "SkillsDomain", "Ledger", "Intake", "Rules", "Reconciliation", "Generator",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Benchmark", package: "benchmark"),
        ],
        path: "Benchmarks/HotPaths",
        swiftSettings: settings,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ))
}
