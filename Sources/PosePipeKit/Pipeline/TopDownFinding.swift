/// Top-down person finding: a person detector looks at frames ahead of order (`DetectionPlan` says
/// which), and the `PersonFollower` runs each person's crop through the pose model in frame order.
struct TopDownFinding: PersonFinding {
    /// One detector session per worker running ahead.
    var detectors: [any PersonDetecting]
    /// The follower's own session, for the searches it makes in frame order.
    var fallback: any PersonDetecting
    var poses: PoseStage
    var newPerson: PoseModelDescription.NewPersonRule?
    var clearScore: Double
    /// Whether people are followed by their own poses (`StageFactory.followsPeople`).
    var follows: Bool

    var lookers: Int { detectors.count }

    static var lookTime: WritableKeyPath<StageTimes, Double> { \.detection }

    func looks(options: PipelineOptions, info: VideoInfo) -> [DetectionLook] {
        let plan = DetectionPlan(options: options, fps: info.fps, follows: follows)
        return detectors.map { DetectionLook(detector: $0, plan: plan) }
    }

    func follower(options: PipelineOptions, info: VideoInfo) -> PersonFollower {
        PersonFollower(poses: poses, detector: fallback, plan: DetectionPlan(options: options, fps: info.fps, follows: follows),
                       newPerson: newPerson, clearScore: clearScore, follows: follows)
    }
}

/// A worker's detection: the top-down look stage.
struct DetectionLook: FrameLooking {
    var detector: any PersonDetecting
    var plan: DetectionPlan

    func look(at frame: VideoFrame) throws -> FrameDetection {
        try plan.look(at: frame) { try detector.detect(in: frame, tiles: $0) }
    }
}
