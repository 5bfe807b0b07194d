import PeerscopeFuzzHarness

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's two hooks. The target comes from PEERSCOPE_FUZZ_TARGET (tools/fuzz/run sets it);
/// libFuzzer supplies `main`, so this file is compiled with -parse-as-library.
nonisolated(unsafe) private var selected: FuzzTarget?

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> Int32 {
    let name = getenv("PEERSCOPE_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    if name == "seeds", let spec = getenv("PEERSCOPE_FUZZ_SEEDS").map({ String(cString: $0) }),
       let colon = spec.firstIndex(of: ":") {
        do {
            try SeedWriter.run(captures: String(spec[..<colon]), corpus: String(spec[spec.index(after: colon)...]))
            exit(0)
        } catch {
            printError("peerscope-fuzz: seeds: \(error)")
            exit(1)
        }
    }
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: " ")
        printError("peerscope-fuzz: set PEERSCOPE_FUZZ_TARGET to one of: \(names)")
        exit(2)
    }
    selected = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard let target = selected else { return 0 }
    target.run(UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size))
    return 0
}

private func printError(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}
