/// One person's pose found in one crop, in displayed frame pixels.
public struct PoseEstimate: Sendable, Equatable {
    public var keypoints: [Keypoint]
    /// Probability that the crop holds a person, 0…1.
    public var presence: Double
    /// The regression head's points (nil: the model has none), which an aligned crop follows the
    /// person by into the next frame.
    public var points: [Point2]?

    public init(keypoints: [Keypoint], presence: Double, points: [Point2]? = nil) {
        self.keypoints = keypoints
        self.presence = presence
        self.points = points
    }
}

/// The pose stage's seam: takes one crop of a frame, cut as its `cropRule` says, and gives the
/// pose of the person in it, nil when the crop holds nobody. Each instance serves one thread at a time.
///
/// Implementations: `PoseEstimator` (an ONNX model and its `PoseDecoder`).
public protocol PoseEstimating: Sendable {
    /// How the model's crops are made, from a detection and from a pose, and how its coordinates
    /// map back through them.
    var cropRule: any CropRule { get }

    func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate?
}
