/// One person's pose found in one crop, in displayed frame pixels.
public struct PoseEstimate: Sendable, Equatable {
    public var keypoints: [Keypoint]
    /// Probability that the crop holds a person, 0…1.
    public var presence: Double
    /// The crop the next frame should use for this person.
    public var nextCrop: RotatedRect?

    public init(keypoints: [Keypoint], presence: Double, nextCrop: RotatedRect?) {
        self.keypoints = keypoints
        self.presence = presence
        self.nextCrop = nextCrop
    }
}

/// The pose stage's seam: the pose of the person in one crop of a frame, nil when the crop
/// holds nobody. Each instance serves one thread at a time.
public protocol PoseEstimating: Sendable {
    func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate?
}
