/// The frame-ordered end every pipeline shares: gives each frame's people their ids, keeps
/// their left and right apart and, when smoothing online, smooths them.
struct TrackingTail {
    private var tracker: PersonTracker
    private var sides: SideKeeper?
    private var smoother: TemporalSmoother

    /// - Parameters:
    ///   - flip: the keypoint set's mirror pairs (nil: it has none, so sides are not kept).
    ///   - online: One Euro filter the poses here (nil: raw, or smoothed later offline).
    init(options: PipelineOptions, clearScore: Double, flip: [Int]?, online: OneEuroFilter.Parameters?) {
        tracker = PersonTracker(maxGap: options.trackGap, clearScore: clearScore)
        sides = options.keepSides ? flip.map { SideKeeper(flip: $0, minScore: clearScore) } : nil
        smoother = TemporalSmoother(parameters: online, minScore: clearScore)
    }

    /// The result of `frame`, whose people are `observed`.
    mutating func result(for frame: VideoFrame, observed: [PersonObservation]) -> FrameResult {
        var tracked = tracker.update(observed, at: frame.pts)
        if sides != nil { tracked = sides!.keep(tracked, at: frame.pts, activeIDs: tracker.activeIDs) }
        return FrameResult(frame: frame, people: smoother.smooth(tracked, at: frame.pts, activeIDs: tracker.activeIDs))
    }
}
