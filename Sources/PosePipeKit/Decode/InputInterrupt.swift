import CFFmpeg
import Dispatch
import Synchronization

/// When reading must give up, where FFmpeg's blocking reads can see it: network protocols poll an
/// `AVIOInterruptCB`, and posepipe's own standard-input reader polls this too, so a stalled live
/// source or pipe does not keep Ctrl-C waiting for its next byte. Besides the caller's stop
/// request, a source that sends nothing for `timeout` seconds (`--timeout`) ends reading.
final class InputInterrupt: Sendable {
    let shouldStop: @Sendable () -> Bool
    /// Seconds without input after which reading gives up; nil: wait as long as it takes.
    let timeout: Double?
    /// When input last came, in monotonic nanoseconds.
    private let lastInput = Mutex(DispatchTime.now().uptimeNanoseconds)
    private let stalled = Mutex(false)
    /// The container being read (its address), whose byte position tells that input came while
    /// FFmpeg reads on its own (probing), and where that position stood.
    private let watched = Mutex<(address: UInt, position: Int64)>((0, -1))
    /// Idle flushes (`flushWhenIdle`): after how long a quiet, whether one is under way, and whether
    /// this quiet had its flush.
    private let idle = Mutex<(after: Double?, flushing: Bool, flushed: Bool)>((nil, false, false))

    /// From now on, after `seconds` without input, reading is interrupted once, so that a demuxer
    /// holding a frame until the next one begins (MPEG-TS, raw H.264) hands it over: a live
    /// source's last frame is written without waiting for a next one that may never come.
    func flushWhenIdle(after seconds: Double) {
        idle.withLock { $0.after = seconds }
    }

    /// Whether an idle flush interrupted the last read; it is over now, and reading goes on.
    func takeIdleFlush() -> Bool {
        idle.withLock { idle in
            defer { idle.flushing = false }
            return idle.flushing
        }
    }

    init(_ shouldStop: @escaping @Sendable () -> Bool, timeout: Double? = nil) {
        self.shouldStop = shouldStop
        self.timeout = timeout
    }

    /// Input came now: the stall clock starts again.
    func noteInput() {
        let now = DispatchTime.now().uptimeNanoseconds
        lastInput.withLock { $0 = now }
        idle.withLock { $0.flushed = false }
    }

    private var quietSeconds: Double {
        Double(DispatchTime.now().uptimeNanoseconds - lastInput.withLock { $0 }) / 1e9
    }

    /// Watches `format`'s byte position for input from now on (nil: no more; it is being freed).
    func watch(_ format: UnsafeMutablePointer<AVFormatContext>?) {
        watched.withLock { $0 = (format.map { UInt(bitPattern: $0) } ?? 0, -1) }
    }

    /// Called by FFmpeg on the thread reading the container, so its fields are safe to read here.
    private func noteProgress() {
        let moved = watched.withLock { watched -> Bool in
            guard let format = UnsafeMutablePointer<AVFormatContext>(bitPattern: watched.address),
                  let io = format.pointee.pb else { return false }
            let position = io.pointee.pos
            defer { watched.position = position }
            return position != watched.position
        }
        if moved { noteInput() }
    }

    /// True once the source sent nothing for `timeout` seconds; stays true.
    var timedOut: Bool {
        if stalled.withLock({ $0 }) { return true }
        guard let timeout, quietSeconds > timeout else { return false }
        stalled.withLock { $0 = true }
        return true
    }

    /// Whether reading must end now: a stop request, or a stall.
    func shouldEnd() -> Bool {
        shouldStop() || timedOut || idleFlushing()
    }

    private func idleFlushing() -> Bool {
        let quiet = quietSeconds
        return idle.withLock { idle in
            if let after = idle.after, !idle.flushed, quiet > after {
                idle.flushing = true
                idle.flushed = true
            }
            return idle.flushing
        }
    }

    /// The callback for `AVFormatContext.interrupt_callback`; valid while `self` lives.
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(callback: Self.check, opaque: Unmanaged.passUnretained(self).toOpaque())
    }

    private static let check: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { opaque in
        guard let opaque else { return 0 }
        let interrupt = Unmanaged<InputInterrupt>.fromOpaque(opaque).takeUnretainedValue()
        interrupt.noteProgress()
        return interrupt.shouldEnd() ? 1 : 0
    }
}
