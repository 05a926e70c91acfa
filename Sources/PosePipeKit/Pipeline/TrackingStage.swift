/// The tracking stage every pipeline ends in: gives each frame's people their ids
/// (`PersonTracker`) and keeps their left and right apart (`SideKeeper`).
struct TrackingStage {
    private var tracker: PersonTracker
    private var sides: SideKeeper?

    /// - Parameter flip: the keypoint set's mirror pairs (nil: it has none, so sides are not kept).
    init(options: PipelineOptions, clearScore: Double, flip: [Int]?) {
        tracker = PersonTracker(maxGap: options.trackGap, clearScore: clearScore)
        sides = options.keepSides ? flip.map { SideKeeper(flip: $0, minScore: clearScore) } : nil
    }

    mutating func track(_ observed: ObservedFrame) -> TrackedFrame {
        let time = observed.frame.pts
        var people = tracker.update(observed.people, at: time)
        people = sides?.keep(people, at: time, activeIDs: tracker.activeIDs) ?? people
        return TrackedFrame(frame: observed.frame, people: people, activeIDs: tracker.activeIDs)
    }
}
