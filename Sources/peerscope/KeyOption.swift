import ArgumentParser

/// `--key KEYID:SECRET`, repeatable: BFD authentication keys for `check` and `sessions`, so a
/// right key is counted as verified packets (RFC 5880 §6.7) rather than "not verified".
struct KeyOption: ParsableArguments {
    @Option(name: .customLong("key"), help: ArgumentHelp("Authentication key as KEYID:SECRET (repeatable).", valueName: "id:secret"))
    var keys: [String] = []

    func validate() throws { _ = try parsed() }

    /// The keys by Key ID; a malformed one is a usage error (exit 2).
    func parsed() throws -> [UInt8: [UInt8]] {
        var result: [UInt8: [UInt8]] = [:]
        for key in keys {
            let parts = key.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let id = UInt8(parts[0]), !parts[1].isEmpty else {
                throw ValidationError("--key takes KEYID:SECRET with KEYID 0–255, got '\(key)'")
            }
            result[id] = Array(parts[1].utf8)
        }
        return result
    }
}
