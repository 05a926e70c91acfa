/// The frame-ordered half of a multi-person pipeline: the model has found everyone in each
/// frame already, so what remains is dropping duplicates, the `--max-people` limit, and the
/// tracking every pipeline shares.
struct MultiPoseFollower {
    private var tail: TrackingTail
    private let maxPeople: Int?
    private let clearScore: Double

    /// - Parameters:
    ///   - flip: the keypoint set's mirror pairs (nil: it has none, so sides are not kept).
    ///   - online: One Euro filter the poses here (nil: raw, or smoothed later offline).
    init(options: PipelineOptions, clearScore: Double, flip: [Int]?, online: OneEuroFilter.Parameters?) {
        tail = TrackingTail(options: options, clearScore: clearScore, flip: flip, online: online)
        maxPeople = options.maxPeople
        self.clearScore = clearScore
    }

    /// The result of `frame`, in which the model found `people`.
    mutating func process(_ frame: VideoFrame, people: [PersonObservation]) -> FrameResult {
        var observed = PoseSimilarity.removingDuplicates(people, minScore: clearScore)
        // Every frame is searched afresh, so the limit keeps the largest people of each frame.
        if let maxPeople { observed = PersonCropPlanner.largest(maxPeople, of: observed) }
        return tail.result(for: frame, observed: observed)
    }
}
