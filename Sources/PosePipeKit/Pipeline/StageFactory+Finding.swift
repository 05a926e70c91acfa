extension StageFactory {
    /// The stages that find people for a pipeline of `workers` inference workers, with every model
    /// session they need, opened at once on the machine's cores (`buildConcurrently`).
    func makeFinding(workers: Int) throws -> any PersonFinding {
        if description.detector.multiPose != nil {
            // The model run is the whole of a frame's work, so every thread runs frames of its own.
            return MultiPoseFinding(models: try buildConcurrently(workers) { _ in try makeMultiPose() },
                                    clearScore: description.clearScore)
        }
        // One detector run per detection frame costs a fraction of a frame's pose work, so one
        // detection worker keeps ahead up to four threads; more would only contend for cores. The
        // last detector is the follower's own.
        let detectorCount = max(1, workers / 4) + 1
        enum Session: Sendable {
            case detector(any PersonDetecting)
            case estimator(PoseEstimator)
        }
        let sessions = try buildConcurrently(detectorCount + workers) { index -> Session in
            index < detectorCount ? .detector(try makeDetector()) : .estimator(try makeEstimator())
        }
        var detectors: [any PersonDetecting] = []
        var estimators: [any PoseEstimating] = []
        for session in sessions {
            switch session {
            case .detector(let detector): detectors.append(detector)
            case .estimator(let estimator): estimators.append(estimator)
            }
        }
        let fallback = detectors.removeLast()
        return TopDownFinding(detectors: detectors, fallback: fallback, poses: PoseStage(estimators: estimators),
                              newPerson: description.pose?.newPerson, clearScore: description.clearScore, follows: followsPeople)
    }
}
