import Dispatch
import Synchronization

/// A live run's timing, shared by the graph's threads: the decode thread stamps each frame with
/// when it was due (`SourceClock`), the look workers and the follower ask `LatencyBound` whether
/// to skip the frame in hand, and tell how long their work took so the bound knows what lies
/// ahead of a frame.
final class LiveTiming: Sendable {
    let bound: LatencyBound
    private struct State {
        var clock = SourceClock()
        var look = WorkEstimate()
        var follow = WorkEstimate()
    }
    private let state = Mutex(State())

    init(bound: LatencyBound) {
        self.bound = bound
    }

    /// Seconds on the machine's monotonic clock.
    static var now: Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// When `frame`, arriving now, was due.
    func due(_ frame: VideoFrame) -> Double {
        let arrival = Self.now
        return state.withLock { $0.clock.due(pts: frame.pts, arrival: arrival) }
    }

    /// Whether a frame of `pts`, arriving now, is already too late: later than the bound even before
    /// its look and follow. Such a frame is skipped at once (a newer one is surely on its way: the
    /// source is ahead of the decoder), without converting its pixels.
    func staleOnArrival(pts: Double) -> Bool {
        let arrival = Self.now
        let due = state.withLock { $0.clock.due(pts: pts, arrival: arrival) }
        return bound.skips(age: arrival - due, remaining: 0, newerWaiting: true)
    }

    /// Whether a look worker skips a frame due at `due`: a look and a follow lie ahead of it.
    func skipsLook(due: Double, newerWaiting: Bool) -> Bool {
        let remaining = state.withLock { $0.look.seconds + $0.follow.seconds }
        return bound.skips(age: Self.now - due, remaining: remaining, newerWaiting: newerWaiting)
    }

    /// Whether the follower skips a frame due at `due`: its follow lies ahead of it.
    func skipsFollow(due: Double, newerWaiting: Bool) -> Bool {
        let remaining = state.withLock { $0.follow.seconds }
        return bound.skips(age: Self.now - due, remaining: remaining, newerWaiting: newerWaiting)
    }

    func noteLook(_ seconds: Double) {
        state.withLock { $0.look.note(seconds) }
    }

    /// `seconds` spent following, tracking and writing one frame.
    func noteFollow(_ seconds: Double) {
        state.withLock { $0.follow.note(seconds) }
    }
}
