/// The one-pass pose stage's seam: every person in a whole frame, with their keypoints, from
/// one model run, for the tracking that follows. Each instance serves one thread at a time.
///
/// Implementations: `MoveNetEstimator` (MoveNet MultiPose).
public protocol MultiPoseEstimating: Sendable {
    /// The people seen in `frame`, best first, in displayed frame pixels; each observation's
    /// `crop` is the box the model gives the person.
    func people(in frame: VideoFrame) throws -> [PersonObservation]
}
