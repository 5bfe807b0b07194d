import CPeerscopeSocket

/// What woke the loop.
public enum LoopEvent: Hashable, Sendable {
    /// A registered file descriptor is ready (readable, writable, or in error: a read or write shows which error).
    case ready(fileDescriptor: Int32, readable: Bool, writable: Bool, error: Bool)
    /// The deadline passed to `wait` is reached.
    case deadlineReached
    /// Another thread called `Waker.wake()`.
    case woken
}

/// What the `run` handler wants next.
public enum LoopControl: Sendable {
    case `continue`
    case stop
}

/// Interest in a file descriptor.
public struct LoopInterest: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public static let readable = LoopInterest(rawValue: UInt32(PS_EVENT_READABLE))
    public static let writable = LoopInterest(rawValue: UInt32(PS_EVENT_WRITABLE))
}

/// A single-threaded event loop over epoll that waits for sockets and one deadline at a time, with
/// nanosecond deadlines on CLOCK_MONOTONIC (epoll_pwait2's timeout, or on older kernels a timerfd
/// armed at an absolute time), so a 3.3 ms BFD
/// interval is kept with tens of microseconds of lateness rather than epoll_wait's milliseconds.
///
/// The driver owns the timers: it asks its sans-IO machines for their earliest deadline and passes
/// it to `wait`; the loop keeps no timer list of its own.
public final class EventLoop {
    private let epoll: Int32
    private let timer: Int32
    private let wakeup: EventFD
    private var armedDeadline: Int64 = 0
    /// epoll_pwait2 takes the deadline itself (ns): no timerfd_settime per wait, which costs more
    /// than a send when a pool re-arms for every one of thousands of sessions (a timer reprogram is
    /// a VM exit on a virtual machine). The timerfd is the fallback for kernels before 5.11.
    private var usesEpollPwait2 = false
    private var events = [ps_event](repeating: ps_event(), count: 64)

    private static let timerToken: UInt64 = .max
    private static let wakeupToken: UInt64 = .max - 1

    public init() throws(SocketError) {
        epoll = try check("epoll_create1", ps_epoll_create())
        let timer = ps_timerfd_create()
        guard timer >= 0 else {
            _ = ps_close(epoll)
            throw SocketError("timerfd_create", result: Int(timer))
        }
        self.timer = timer
        let wakeupFD = ps_eventfd_create()
        guard wakeupFD >= 0 else {
            _ = ps_close(epoll)
            _ = ps_close(timer)
            throw SocketError("eventfd", result: Int(wakeupFD))
        }
        wakeup = EventFD(wakeupFD)
        // All stored properties are set; a throw now runs deinit.
        _ = try check("epoll add timerfd", ps_epoll_add(epoll, timer, UInt32(PS_EVENT_READABLE), Self.timerToken))
        _ = try check("epoll add eventfd",
                      ps_epoll_add(epoll, wakeupFD, UInt32(PS_EVENT_READABLE), Self.wakeupToken))
        usesEpollPwait2 = events.withUnsafeMutableBufferPointer {
            ps_epoll_wait_until(epoll, $0.baseAddress, 1, 0) >= 0
        }
    }

    deinit {
        _ = ps_close(timer)
        _ = ps_close(epoll)
    }

    /// A handle another thread may use to make `wait` return `.woken` (e.g. to stop the loop).
    public var waker: Waker { Waker(wakeup) }

    public struct Waker: Sendable {
        fileprivate let eventFD: EventFD
        fileprivate init(_ eventFD: EventFD) { self.eventFD = eventFD }
        public func wake() { _ = ps_eventfd_signal(eventFD.fd) }
    }

    public func register(_ fileDescriptor: Int32, interest: LoopInterest = .readable) throws(SocketError) {
        _ = try check("epoll add fd \(fileDescriptor)",
                      ps_epoll_add(epoll, fileDescriptor, interest.rawValue, UInt64(UInt32(bitPattern: fileDescriptor))))
    }

    public func modify(_ fileDescriptor: Int32, interest: LoopInterest) throws(SocketError) {
        _ = try check("epoll modify fd \(fileDescriptor)",
                      ps_epoll_modify(epoll, fileDescriptor, interest.rawValue,
                                      UInt64(UInt32(bitPattern: fileDescriptor))))
    }

    /// Must be called before the fd is closed.
    public func unregister(_ fileDescriptor: Int32) throws(SocketError) {
        _ = try check("epoll remove fd \(fileDescriptor)", ps_epoll_remove(epoll, fileDescriptor))
    }

    /// Waits until a registered fd is ready or the monotonic time `deadline` (ns) is reached, then
    /// calls `handler` once per event with the time read after waking. A deadline already past still
    /// polls the fds once (so a busy timer cannot starve receiving) and then reports it.
    /// `nil` waits for fds only.
    public func wait(until deadline: Int64?, _ handler: (LoopEvent, Int64) throws -> Void) throws {
        var now: Int64
        let count: Int32
        if usesEpollPwait2 {
            let until = deadline.map { max($0, 0) } ?? -1
            count = try events.withUnsafeMutableBufferPointer { (buffer) throws(SocketError) -> Int32 in
                try check("epoll_pwait2", ps_epoll_wait_until(epoll, buffer.baseAddress, Int32(buffer.count), until))
            }
        } else {
            try arm(deadline)
            now = MonotonicClock.nowNanoseconds()
            let timeout: Int32 = deadline.map { $0 <= now ? 0 : -1 } ?? -1
            count = try events.withUnsafeMutableBufferPointer { (buffer) throws(SocketError) -> Int32 in
                try check("epoll_wait", ps_epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), timeout))
            }
        }
        now = MonotonicClock.nowNanoseconds()
        for index in 0..<Int(count) {
            let event = events[index]
            switch event.token {
            case Self.timerToken:
                _ = ps_timerfd_drain(timer)
                armedDeadline = 0
            case Self.wakeupToken:
                _ = ps_eventfd_drain(wakeup.fd)
                try handler(.woken, now)
            default:
                let bits = Int(event.events)
                try handler(.ready(fileDescriptor: Int32(truncatingIfNeeded: event.token),
                                   readable: bits & PS_EVENT_READABLE != 0,
                                   writable: bits & PS_EVENT_WRITABLE != 0,
                                   error: bits & PS_EVENT_ERROR != 0), now)
            }
        }
        if let deadline, now >= deadline { try handler(.deadlineReached, now) }
    }

    /// Runs `wait` until the handler says stop. `nextDeadline` is asked before every wait: the
    /// earliest timer of whatever the driver runs (`nil` for none).
    public func run(nextDeadline: () -> Int64?, _ handler: (LoopEvent, Int64) throws -> LoopControl) throws {
        var stop = false
        while !stop {
            try wait(until: nextDeadline()) { event, now in
                if try handler(event, now) == .stop { stop = true }
            }
        }
    }

    /// Sets the calling thread's timer slack: the kernel may fire a timer this late to batch wake-ups
    /// (default 50 µs). 1 ns asks for the most precise wake-ups a non-realtime thread gets.
    public static func setTimerSlack(nanoseconds: UInt) throws(SocketError) {
        _ = try check("PR_SET_TIMERSLACK", ps_set_timer_slack_ns(nanoseconds))
    }

    /// Runs the calling thread under SCHED_FIFO at `priority` (1–99; 0 returns to the normal policy),
    /// so the loop's wake-ups are not queued behind other processes on a busy machine. Needs
    /// CAP_SYS_NICE; the loop spends its time asleep, so it does not starve the machine.
    public static func setRealtimePriority(_ priority: Int32) throws(SocketError) {
        _ = try check("sched_setscheduler SCHED_FIFO \(priority)", ps_set_realtime_priority(priority))
    }

    private func arm(_ deadline: Int64?) throws(SocketError) {
        // timerfd is absolute; 0 disarms, so clamp a real deadline to at least 1 ns.
        let wanted = deadline.map { max($0, 1) } ?? 0
        guard wanted != armedDeadline else { return }
        _ = try check("timerfd_settime", ps_timerfd_arm(timer, wanted))
        armedDeadline = wanted
    }
}

/// An eventfd shared between the loop and its wakers; closed when the last of them goes.
final class EventFD: Sendable {
    let fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    deinit { _ = ps_close(fd) }
}

extension EventLoop {
    /// Pins the calling thread to CPU `cpu` (sched_setaffinity), e.g. to state a figure per core.
    public static func pinToCPU(_ cpu: Int) throws(SocketError) {
        _ = try check("sched_setaffinity CPU \(cpu)", ps_pin_to_cpu(Int32(cpu)))
    }
}
