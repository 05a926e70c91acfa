/// Frames a live source sent that never arrived, counted from the gaps in the timestamps of those
/// that did: a step of about k nominal frame intervals means k − 1 frames are missing. Only a
/// constant-rate source says this truly; posepipe counts it for live sources, where losses in the
/// network or in FFmpeg's buffers leave no other trace.
struct FrameGaps: Sendable {
    /// Seconds between frames at the nominal rate (0: unknown, nothing is counted).
    let step: Double
    private(set) var missing = 0
    private var lastPTS: Double?

    init(step: Double) {
        self.step = step
    }

    mutating func note(pts: Double) {
        defer { lastPTS = max(pts, lastPTS ?? pts) }
        guard step > 0, let lastPTS, pts > lastPTS else { return }
        let intervals = ((pts - lastPTS) / step).rounded()
        // Jitter of up to half a frame is no loss; a jump of an hour is a new timeline, not a loss.
        guard intervals >= 2, intervals < 3600 / step else { return }
        missing += Int(intervals) - 1
    }
}
