// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "peerscope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peerscope", targets: ["peerscope"]),
        .library(name: "PeerscopeWire", targets: ["PeerscopeWire"]),
        .library(name: "PeerscopeCapture", targets: ["PeerscopeCapture"]),
        .library(name: "PeerscopeAnalysis", targets: ["PeerscopeAnalysis"]),
        .library(name: "PeerscopeConformance", targets: ["PeerscopeConformance"]),
        .library(name: "PeerscopeReport", targets: ["PeerscopeReport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPcap",
            pkgConfig: "libpcap",
            providers: [.apt(["libpcap-dev"])]
        ),
        // Pure codecs: no I/O, no Foundation.
        .target(name: "PeerscopeWire"),
        // libpcap reader and pcap/pcapng writers.
        .target(name: "PeerscopeCapture", dependencies: ["CPcap", "PeerscopeWire"]),
        // Frame → protocol records (the dissector); later sessions and timelines.
        .target(name: "PeerscopeAnalysis", dependencies: ["PeerscopeWire", "PeerscopeCapture"]),
        // The rule catalog and its evaluation over sessions and packets.
        .target(
            name: "PeerscopeConformance",
            dependencies: ["PeerscopeAnalysis", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Renderers: router-style text, JSON Lines (later tables, JUnit, HTML).
        .target(name: "PeerscopeReport", dependencies: ["PeerscopeAnalysis", "PeerscopeConformance"]),
        .executableTarget(
            name: "peerscope",
            dependencies: [
                "PeerscopeWire", "PeerscopeCapture", "PeerscopeAnalysis", "PeerscopeConformance", "PeerscopeReport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Synthetic captures for captures/ and tools/bench, built with the project's own encoders.
        .executableTarget(
            name: "peerscope-synth",
            dependencies: [
                "PeerscopeWire", "PeerscopeCapture",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "PeerscopeWireTests", dependencies: ["PeerscopeWire"]),
        .testTarget(name: "PeerscopeCaptureTests", dependencies: ["PeerscopeCapture", "PeerscopeWire"]),
        .testTarget(
            name: "PeerscopeConformanceTests",
            dependencies: ["PeerscopeConformance", "PeerscopeAnalysis", "PeerscopeCapture", "PeerscopeWire",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "PeerscopeAnalysisTests", dependencies: ["PeerscopeAnalysis", "PeerscopeCapture", "PeerscopeWire"]),
        .testTarget(
            name: "PeerscopeCLITests",
            dependencies: ["PeerscopeWire", "PeerscopeCapture", "PeerscopeAnalysis", "PeerscopeReport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
