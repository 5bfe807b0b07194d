import PeerscopeEndpoint
import PeerscopeProbe
import PeerscopeWire
import Testing

/// A long probe run keeps at most `retainedPackets` of each direction (issue 12: memory bounded
/// however long the run and whatever the peer sends), and every index still names the packet that
/// arrived as that number. The truth is the arithmetic of what the test appended: packet *i* was
/// sent at *i* ms.
@Suite("Probe record: packets retained over a long run")
struct ProbeRecordRetentionTests {
    static let ms: Int64 = 1_000_000

    static func device(_ state: BFDState, at index: Int) -> DevicePacket {
        DevicePacket(time: Int64(index) * ms,
                     packet: BFDControlPacket(state: state, detectMultiplier: 3, myDiscriminator: 2, yourDiscriminator: 1,
                                              desiredMinTxInterval: 1_000, requiredMinRxInterval: 1_000))
    }

    @Test("300,000 device and sent packets with room for 1,000: 1,000 of each kept, the newest, at their arrival numbers")
    func boundedOverALongRun() {
        var record = ProbeRecord(retainedPackets: 1_000)
        let total = 300_000
        for index in 0..<total {
            // Up, and Down for one packet every 100,000: state changes recorded all along.
            record.appendDevice(Self.device(index % 100_000 == 99_999 ? .down : .up, at: index))
            record.sentPackets.append(SentPacket(time: Int64(index) * Self.ms, wallTime: 0, bytes: [], ttl: 255,
                                                 injected: false, localDiscriminator: 1))
            if index % 1_000 == 0 { #expect(record.devicePackets.count <= 1_000) }
        }
        #expect(record.devicePackets.count == 1_000)
        #expect(record.sentPackets.count == 1_000)
        #expect(record.devicePackets.startIndex == total - 1_000)
        #expect(record.devicePackets.endIndex == total)
        #expect(record.devicePackets.droppedCount == total - 1_000)
        #expect(record.devicePackets.appendedCount == total)
        for index in [total - 1_000, total - 500, total - 1] {
            #expect(record.devicePackets[index].time == Int64(index) * Self.ms)
            #expect(record.sentPackets[index].time == Int64(index) * Self.ms)
        }
        // Up at 0, Down at 99,999, Up at 100,000 … Down at 299,999: 6 changes, each naming its packet.
        #expect(record.stateChanges.count == 6)
        let last = record.stateChanges.last!
        #expect(last.to == .down && last.packetIndex == 299_999)
        #expect(record.devicePackets[last.packetIndex!].state == .down)
        // An evaluation over the retained window sees gaps of exactly 1 ms between retained packets.
        let gaps = Evaluate.periodicGaps(record, from: Int64(total - 1_000) * Self.ms, to: .max, states: [.up])
        // 999 Up packets retained before the final Down: 998 gaps.
        #expect(gaps.count == 998)
        #expect(gaps.allSatisfy { $0.gap == Self.ms })
    }

    @Test("the default keeps what a case looks back over: 200,000 packets are all still there")
    func defaultKeepsACase() {
        var record = ProbeRecord()
        for index in 0..<200_000 { record.appendDevice(Self.device(.up, at: index)) }
        #expect(record.devicePackets.startIndex == 0)
        #expect(record.devicePackets.count == 200_000)
    }

    @Test("array literals and += keep working on the log")
    func collectionSurface() {
        var log: PacketLog<Int> = [1, 2, 3]
        log += [4, 5]
        #expect(Array(log) == [1, 2, 3, 4, 5])
        var small = PacketLog<Int>(limit: 2)
        small += 0..<10
        #expect(Array(small) == [8, 9])
        #expect(small.indices == 8..<10)
    }
}
