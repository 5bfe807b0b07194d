import Crypto
import PeerscopeWire

/// MD5/SHA1 straight from swift-crypto, so tests check the endpoint against the hash itself.
func referenceDigest(_ type: BFDAuthType, _ input: [UInt8]) -> [UInt8] {
    switch type {
    case .keyedMD5, .meticulousKeyedMD5: Array(Insecure.MD5.hash(data: input))
    case .keyedSHA1, .meticulousKeyedSHA1: Array(Insecure.SHA1.hash(data: input))
    case .simplePassword, .reserved: []
    }
}
