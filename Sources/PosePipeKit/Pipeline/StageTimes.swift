import Dispatch

/// Seconds spent in the stages that find people, for `--verbose`.
struct StageTimes: Sendable {
    /// Running the person detector.
    var detection = 0.0
    /// Running the pose model (or a multi-person model, which finds people and keypoints at once).
    var landmarks = 0.0
    /// Choosing the people of a frame, ids, left and right, smoothing.
    var tracking = 0.0
}

extension DispatchTime {
    /// Seconds from this instant to now.
    var secondsSince: Double {
        Double(DispatchTime.now().uptimeNanoseconds - uptimeNanoseconds) / 1e9
    }
}
