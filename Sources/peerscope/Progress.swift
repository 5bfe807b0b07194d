import PeerscopeCapture

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long read on standard error: the share of the file read and frames per second,
/// redrawn in place. Only when standard error is a terminal and the run has taken more than
/// `delay` (2 s): short runs, pipes and tests see nothing. The line is erased when the source ends,
/// so what follows on the terminal starts clean.
final class ProgressSource<Base: FrameSource>: FrameSource {
    let base: Base
    private let label: String
    private let enabled: Bool
    private let started: Int64
    private var frames = 0
    private var lastDrawn: Int64 = 0
    private var drawn = false

    /// How long a run goes before progress shows, and how often it is redrawn.
    static var delayNanoseconds: Int64 { 2_000_000_000 }
    static var redrawNanoseconds: Int64 { 250_000_000 }

    init(_ base: Base, label: String, enabled: Bool = ProgressSource.standardErrorIsTerminal) {
        self.base = base
        self.label = label
        self.enabled = enabled
        started = Self.monotonic()
    }

    deinit { erase() }

    static var standardErrorIsTerminal: Bool { isatty(2) != 0 }

    var resolution: TimestampResolution { base.resolution }
    var originNanoseconds: Int64? { base.originNanoseconds }
    var framesRead: Int { base.framesRead }
    var position: (bytesRead: Int64, totalBytes: Int64)? { base.position }

    func next() throws(CaptureError) -> Frame? {
        guard let frame = try base.next() else {
            erase()
            return nil
        }
        step()
        return frame
    }

    func nextEvent() throws(CaptureError) -> FrameSourceEvent {
        let event = try base.nextEvent()
        switch event {
        case .frame: step()
        case .idle: break
        case .end: erase()
        }
        return event
    }

    /// Counts a frame; looks at the clock once every 4,096 frames so the per-frame cost is an add
    /// (inlined into the caller's loop: a call per frame was 2 % of `decode --count`, issue 14).
    @inline(__always)
    private func step() {
        frames &+= 1
        guard enabled, frames & 0xFFF == 0 else { return }
        redraw()
    }

    @inline(never)
    private func redraw() {
        let now = Self.monotonic()
        let elapsed = now - started
        guard elapsed >= Self.delayNanoseconds, now - lastDrawn >= Self.redrawNanoseconds else { return }
        lastDrawn = now
        var text = "\(label): "
        if let position, position.totalBytes > 0 {
            let share = Double(position.bytesRead) / Double(position.totalBytes) * 100
            text += "\(Self.fixed(min(share, 100), decimals: 0)) % of \(Self.size(position.totalBytes)), "
        }
        text += "\(Self.fixed(Double(frames) * 1e6 / Double(elapsed), decimals: 1)) k frames/s"
        emit("\r" + text + "\u{1B}[K")
        drawn = true
    }

    private func erase() {
        guard drawn else { return }
        drawn = false
        emit("\r\u{1B}[K")
    }

    private func emit(_ text: String) {
        _ = text.withCString { write(2, $0, strlen($0)) }
    }

    private static func monotonic() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return "?" }
        let scale = decimals == 0 ? 1.0 : 10.0
        let rounded = (value * scale).rounded() / scale
        return decimals == 0 ? String(Int(rounded)) : String(rounded)
    }

    static func size(_ bytes: Int64) -> String {
        if bytes >= 1 << 30 { return fixed(Double(bytes) / Double(1 << 30), decimals: 1) + " GiB" }
        if bytes >= 1 << 20 { return fixed(Double(bytes) / Double(1 << 20), decimals: 1) + " MiB" }
        return fixed(Double(bytes) / 1_024, decimals: 1) + " KiB"
    }
}
