// swift-tools-version: 6.0
import PackageDescription

/// Muster: five services over one set of `Shared` libraries.
///
/// Shared libraries are split by concern (`Shared/<Concern>`); each service is a
/// library (`Services/<Name>/Sources`: routes, domain, store, migrations) plus a
/// thin executable (`Services/<Name>/Main`).
let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

func shared(_ name: String, _ folder: String, _ deps: [Target.Dependency], resources: [Resource] = []) -> Target {
    .target(name: name, dependencies: deps, path: "Shared/\(folder)", resources: resources, swiftSettings: strict)
}

func service(_ name: String, _ deps: [Target.Dependency], resources: [Resource] = []) -> [Target] {
    [
        .target(name: "\(name)Service", dependencies: deps, path: "Services/\(name)/Sources",
                resources: resources, swiftSettings: strict),
        .executableTarget(name: name.lowercased(), dependencies: [.target(name: "\(name)Service")],
                          path: "Services/\(name)/Main", swiftSettings: strict),
    ]
}

let serviceBase: [Target.Dependency] = [
    "MusterCore", "MusterTime", "MusterHTTP", "MusterHTTPServer", "MusterHTTPClient", "MusterDatabase", "MusterCrypto",
    "MusterAuth", "MusterService", "MusterContracts", "MusterOutbox", "MusterDataKeys",
]

let package = Package(
    name: "Muster",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "identity", targets: ["identity"]),
        .executable(name: "records", targets: ["records"]),
        .executable(name: "audit", targets: ["audit"]),
        .executable(name: "notify", targets: ["notify"]),
        .executable(name: "gateway", targets: ["gateway"]),
    ],
    targets: [
        .systemLibrary(name: "CLibPQ", path: "Shared/CModules/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Shared/CModules/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", path: "Shared/CModules/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSystem", path: "Shared/CModules/CSystem"),

        shared("MusterCore", "Core", ["MusterTime"]),
        shared("MusterTime", "Time", []),
        shared("MusterCrypto", "Crypto", ["COpenSSL", "MusterCore", "MusterTime"]),
        // The transport: messages, their HTTP/1.1 wire form, router and middleware
        // (no users); the epoll server; the proxy's client on the server's loops.
        shared("MusterHTTP", "HTTP", ["MusterCore", "MusterTime"]),
        shared("MusterHTTPServer", "HTTPServer", ["CSystem", "COpenSSL", "MusterCore", "MusterTime", "MusterHTTP"]),
        shared("MusterHTTPUpstream", "HTTPUpstream", ["CSystem", "MusterCore", "MusterTime", "MusterHTTP", "MusterHTTPServer"]),
        shared("MusterHTTPClient", "HTTPClient", ["CCurl", "MusterCore", "MusterHTTP"]),
        shared("MusterDatabase", "Database", ["CLibPQ", "CSystem", "COpenSSL", "MusterCore", "MusterTime"],
               resources: [.copy("Migrations/Includes")]),
        shared("MusterDataKeys", "DataKeys", ["MusterCrypto", "MusterDatabase"]),
        shared("MusterAuth", "Auth", ["MusterCore", "MusterTime", "MusterCrypto", "MusterHTTP"]),
        shared("MusterContracts", "Contracts", ["MusterCore", "MusterTime", "MusterAuth"]),
        shared("MusterOutbox", "Outbox", ["MusterCore", "MusterTime", "MusterDatabase", "MusterContracts"]),
        shared("MusterService", "Service", [
            "MusterCore", "MusterTime", "MusterHTTP", "MusterHTTPServer", "MusterHTTPClient", "MusterDatabase", "MusterCrypto",
            "MusterAuth", "MusterContracts", "MusterOutbox",
        ]),
    ]
    + service("Identity", serviceBase, resources: [.copy("Migrations"), .copy("Resources")])
    + service("Records", serviceBase, resources: [.copy("Migrations"), .copy("RulePacks")])
    + service("Audit", serviceBase, resources: [.copy("Migrations")])
    + service("Notify", serviceBase + ["CCurl"], resources: [.copy("Migrations")])
    + service("Gateway", serviceBase + ["MusterHTTPUpstream"], resources: [.copy("OpenAPI")])
    + [
        .target(name: "MusterTestSupport", dependencies: ["MusterCore", "MusterDatabase", "MusterCrypto", "MusterAuth"],
                path: "Tests/Support", swiftSettings: strict),
        .testTarget(name: "CoreTests", dependencies: ["MusterCore", "MusterTime", "MusterTestSupport"],
                    path: "Tests/CoreTests", swiftSettings: strict),
        .testTarget(name: "HTTPTests", dependencies: ["MusterHTTP", "MusterHTTPServer", "MusterHTTPUpstream", "MusterCore",
                                                    "MusterTestSupport"],
                    path: "Tests/HTTPTests", swiftSettings: strict),
        .testTarget(name: "DatabaseTests", dependencies: ["MusterDatabase", "MusterCore", "MusterTime", "MusterAuth",
                                                        "MusterTestSupport"],
                    path: "Tests/DatabaseTests", swiftSettings: strict),
        .testTarget(name: "CryptoTests", dependencies: ["MusterCrypto", "MusterAuth", "MusterCore", "MusterTime", "MusterHTTP", "MusterTestSupport"],
                    path: "Tests/CryptoTests", swiftSettings: strict),
        .testTarget(name: "HTTPClientTests", dependencies: ["MusterHTTPClient", "MusterHTTP", "MusterCore", "MusterTestSupport"],
                    path: "Tests/HTTPClientTests", exclude: ["Fixtures"], swiftSettings: strict),
        .executableTarget(name: "httpclient-bench", dependencies: ["MusterHTTPClient", "MusterHTTP"],
                          path: "bench/httpclient/Sources", swiftSettings: strict),
        .executableTarget(name: "bench-crypto", dependencies: ["MusterCrypto", "MusterAuth", "MusterCore", "MusterTime"],
                          path: "bench/crypto/Bench", swiftSettings: strict),
        .testTarget(name: "PlatformTests", dependencies: [
                        "MusterCore", "MusterHTTP", "MusterHTTPClient", "MusterDatabase", "MusterCrypto",
                        "MusterAuth", "MusterContracts", "MusterOutbox", "MusterService", "MusterTestSupport",
                    ],
                    path: "Tests/PlatformTests", swiftSettings: strict),
        .executableTarget(name: "bench-http", dependencies: ["MusterHTTP", "MusterHTTPServer", "MusterCore"],
                          path: "bench/http/Server", swiftSettings: strict),
        .executableTarget(name: "bench-db", dependencies: ["MusterDatabase", "MusterCore"],
                          path: "bench/db/Bench", swiftSettings: strict),
        .testTarget(name: "GatewayTests", dependencies: [
                        "GatewayService", "MusterCore", "MusterTime", "MusterHTTP", "MusterHTTPServer", "MusterCrypto", "MusterAuth",
                        "MusterContracts",
                        "MusterTestSupport",
                    ],
                    path: "Tests/GatewayTests", swiftSettings: strict),
        .executableTarget(name: "bench-gateway-upstream",
                          dependencies: ["MusterHTTP", "MusterHTTPServer", "MusterCore", "MusterTime", "MusterAuth", "MusterCrypto",
                                         "MusterContracts"],
                          path: "bench/gateway/Upstream", swiftSettings: strict),
        .executableTarget(name: "bench-migrate", dependencies: ["MusterDatabase", "MusterCore"],
                          path: "bench/migrate/Bench", swiftSettings: strict),
        .testTarget(name: "NotifyTests", dependencies: [
                        "NotifyService", "MusterCore", "MusterContracts", "MusterDatabase", "MusterCrypto",
                        "MusterService", "MusterTestSupport",
                    ],
                    path: "Tests/NotifyTests", exclude: ["Fixtures"], swiftSettings: strict),
        .executableTarget(name: "bench-notify", dependencies: ["MusterCore", "MusterCrypto", "MusterAuth", "MusterContracts", "MusterHTTP",
                                                             "MusterHTTPClient"],
                          path: "bench/notify/Bench", swiftSettings: strict),
        .testTarget(name: "IdentityTests", dependencies: [
                        "IdentityService", "MusterCore", "MusterCrypto", "MusterAuth", "MusterContracts", "MusterHTTPClient",
                        "MusterService", "MusterTestSupport",
                    ],
                    path: "Tests/IdentityTests", swiftSettings: strict),
        .testTarget(name: "AuditTests", dependencies: [
                        "AuditService", "MusterCore", "MusterTime", "MusterCrypto", "MusterAuth", "MusterContracts", "MusterDatabase",
                        "MusterHTTPClient", "MusterOutbox", "MusterService", "MusterTestSupport",
                    ],
                    path: "Tests/AuditTests", swiftSettings: strict),
        .testTarget(name: "RecordsTests", dependencies: [
                        "RecordsService", "MusterCore", "MusterTime", "MusterCrypto", "MusterAuth", "MusterContracts", "MusterDatabase", "MusterHTTP",
                        "MusterService", "MusterTestSupport",
                    ],
                    path: "Tests/RecordsTests", swiftSettings: strict),
        .executableTarget(name: "bench-compliance", dependencies: ["RecordsService", "MusterTime", "MusterCore"],
                          path: "bench/compliance-engine/Bench", swiftSettings: strict),
        .executableTarget(name: "bench-audit", dependencies: [
                              "AuditService", "MusterCore", "MusterTime", "MusterCrypto", "MusterAuth", "MusterContracts", "MusterDatabase",
                              "MusterHTTP", "MusterHTTPServer", "MusterHTTPClient",
                          ],
                          path: "bench/audit/Bench", swiftSettings: strict),
    ]
)
