/// Finding people with a multi-person model (MoveNet): one run over the whole frame finds everyone
/// with their keypoints, so the workers running ahead do all of a frame's model work and the
/// `MultiPoseFollower` only chooses among the people they found.
struct MultiPoseFinding: PersonFinding {
    /// One session per worker.
    var models: [any MultiPoseEstimating]
    var clearScore: Double

    var lookers: Int { models.count }

    /// The run finds people and keypoints at once: its time is the pose stage's.
    static var lookTime: WritableKeyPath<StageTimes, Double> { \.landmarks }

    func looks(options: PipelineOptions, info: VideoInfo) -> [MultiPoseLook] {
        models.map(MultiPoseLook.init)
    }

    func follower(options: PipelineOptions, info: VideoInfo) -> MultiPoseFollower {
        MultiPoseFollower(maxPeople: options.maxPeople, clearScore: clearScore)
    }
}

/// A worker's multi-person model run: the multi-pose look stage.
struct MultiPoseLook: FrameLooking {
    var model: any MultiPoseEstimating

    func look(at frame: VideoFrame) throws -> [PersonObservation] {
        try model.people(in: frame)
    }
}
