/// When each frame of a live source was due, on this machine's clock, from its timestamp: the
/// earliest arrival seen so far sets how PTS maps to wall time, so a frame that reaches posepipe
/// late (held in FFmpeg's network buffer while the decoder waited) is known to be late, which its
/// arrival time alone would hide.
///
/// A timestamp that goes back (a camera restarting, a stream looping) starts the mapping afresh.
struct SourceClock: Sendable {
    /// Wall time minus PTS, the smallest seen since the mapping started.
    private var offset: Double?
    private var lastPTS: Double?

    /// The wall time `pts` was due, given the frame arrived at `arrival` (both in seconds).
    mutating func due(pts: Double, arrival: Double) -> Double {
        if let lastPTS, pts < lastPTS { offset = nil }
        lastPTS = pts
        let seen = arrival - pts
        offset = min(offset ?? seen, seen)
        return pts + offset!
    }
}
