// swift-tools-version:6.0
// libFuzzer targets for peerscope (see README.md). Built only by tools/fuzz/run, with
//   swift build -c release --sanitize fuzzer --sanitize address \
//     -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
import PackageDescription

// The main package by path. Its identity is its folder's name, so a checkout whose folder is named
// like this one ("fuzz") would collide: tools/fuzz/run points PEERSCOPE_SOURCE at a link named
// "peerscope" instead.
let source = Context.environment["PEERSCOPE_SOURCE"] ?? ".."

let package = Package(
    name: "peerscope-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: source),
    ],
    targets: [
        // One binary for every target: PEERSCOPE_FUZZ_TARGET names the one to run (one link, not nine).
        .executableTarget(
            name: "peerscope-fuzz",
            dependencies: [.product(name: "PeerscopeFuzzHarness", package: "peerscope"),
                           .product(name: "PeerscopeCapture", package: "peerscope"),
                           .product(name: "PeerscopeAnalysis", package: "peerscope"),
                           .product(name: "PeerscopeWire", package: "peerscope")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
