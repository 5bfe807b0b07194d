// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "peerscope",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "peerscope", targets: ["peerscope"]),
        .executable(name: "peerscope-loadgen", targets: ["peerscope-loadgen"]),
        .library(name: "PeerscopeWire", targets: ["PeerscopeWire"]),
        .library(name: "PeerscopeCapture", targets: ["PeerscopeCapture"]),
        .library(name: "PeerscopeAnalysis", targets: ["PeerscopeAnalysis"]),
        .library(name: "PeerscopeConformance", targets: ["PeerscopeConformance"]),
        .library(name: "PeerscopeReport", targets: ["PeerscopeReport"]),
        .library(name: "PeerscopeEndpoint", targets: ["PeerscopeEndpoint"]),
        .library(name: "PeerscopeProbe", targets: ["PeerscopeProbe"]),
        // The fuzz targets' entry points, for the libFuzzer package in Fuzz/ and the crasher replay.
        .library(name: "PeerscopeFuzzHarness", targets: ["PeerscopeFuzzHarness"]),
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
        // Depends on PeerscopeEndpoint for the RFC 5880 model (timing, transitions, reception checks),
        // so the analyzer judges a capture with the same facts the endpoint runs on.
        .target(name: "PeerscopeAnalysis", dependencies: ["PeerscopeWire", "PeerscopeCapture", "PeerscopeEndpoint"]),
        // The rule catalog and its evaluation over sessions and packets.
        .target(
            name: "PeerscopeConformance",
            dependencies: ["PeerscopeAnalysis", "PeerscopeEndpoint", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Renderers: router-style text, JSON Lines (later tables, JUnit, HTML).
        .target(name: "PeerscopeReport", dependencies: ["PeerscopeAnalysis", "PeerscopeConformance", "PeerscopeEndpoint"]),
        // Sans-IO state machines for the active tester: the BFD session of RFC 5880 §6.8 and the BGP
        // FSM of RFC 4271 §8. Inputs are (event, now); outputs are actions. No sockets, no clock reads.
        .target(
            name: "PeerscopeEndpoint",
            dependencies: ["PeerscopeWire", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // recvmsg/sendmsg with TTL and packet-info control messages (macros Swift cannot import).
        .target(name: "CPeerscopeSocket"),
        // The active tester: socket driver, monotonic clock, run recording, probe suites and verdicts.
        .target(
            name: "PeerscopeProbe",
            dependencies: ["PeerscopeEndpoint", "PeerscopeWire", "PeerscopeCapture", "PeerscopeAnalysis",
                           "PeerscopeConformance", "PeerscopeReport", "CPeerscopeSocket"]
        ),
        .executableTarget(
            name: "peerscope",
            dependencies: [
                "PeerscopeWire", "PeerscopeCapture", "PeerscopeAnalysis", "PeerscopeConformance", "PeerscopeReport",
                "PeerscopeEndpoint", "PeerscopeProbe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Synthetic captures for captures/ and tools/bench, built with the project's own encoders.
        .executableTarget(
            name: "peerscope-synth",
            dependencies: [
                "PeerscopeWire", "PeerscopeCapture", "PeerscopeEndpoint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Load and precision runs for tools/bench/endpoint: BFD session pools peerscope ↔ peerscope
        // on loopback, and the error of the tester's detection-time measurement.
        .executableTarget(
            name: "peerscope-loadgen",
            dependencies: [
                "PeerscopeProbe", "PeerscopeEndpoint", "PeerscopeWire",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // One entry point per fuzz target (Fuzz/README.md); kept in Fuzz/ beside the libFuzzer package.
        .target(
            name: "PeerscopeFuzzHarness",
            dependencies: ["PeerscopeWire", "PeerscopeCapture", "PeerscopeAnalysis", "PeerscopeConformance",
                           "PeerscopeReport", "PeerscopeEndpoint"],
            path: "Fuzz/Harness"
        ),
        .testTarget(name: "PeerscopeWireTests", dependencies: ["PeerscopeWire"]),
        .testTarget(name: "PeerscopeCaptureTests", dependencies: ["PeerscopeCapture", "PeerscopeWire"]),
        .testTarget(
            name: "PeerscopeConformanceTests",
            dependencies: ["PeerscopeConformance", "PeerscopeAnalysis", "PeerscopeCapture", "PeerscopeWire",
                           "PeerscopeReport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(name: "PeerscopeAnalysisTests", dependencies: ["PeerscopeAnalysis", "PeerscopeCapture", "PeerscopeWire"]),
        .testTarget(
            name: "PeerscopeEndpointTests",
            dependencies: ["PeerscopeEndpoint", "PeerscopeWire", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "PeerscopeProbeTests",
            dependencies: ["PeerscopeProbe", "PeerscopeEndpoint", "PeerscopeWire", "PeerscopeCapture", "CPeerscopeSocket"]
        ),
        // Every input in Fuzz/Crashers through the fuzz entry points: no trap (the corpus is for
        // the fuzzer; tools/fuzz/run and the CI smoke run replay it under ASan).
        .testTarget(name: "PeerscopeFuzzReplayTests", dependencies: ["PeerscopeFuzzHarness"]),
        .testTarget(
            name: "PeerscopeCLITests",
            dependencies: ["PeerscopeWire", "PeerscopeCapture", "PeerscopeAnalysis", "PeerscopeReport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
