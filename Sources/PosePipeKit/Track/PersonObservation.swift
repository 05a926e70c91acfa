/// One person seen in one frame, before tracking gives them an id.
public struct PersonObservation: Sendable {
    /// Keypoints in displayed frame pixels.
    public var keypoints: [Keypoint]
    /// Probability that this is a person, 0…1.
    public var score: Double
    /// The crop the keypoints were found in.
    public var region: RotatedRect
    /// The crop the model suggests for the next frame.
    public var nextRegion: RotatedRect?

    public init(keypoints: [Keypoint], score: Double, region: RotatedRect, nextRegion: RotatedRect? = nil) {
        self.keypoints = keypoints
        self.score = score
        self.region = region
        self.nextRegion = nextRegion
    }

    /// The axis-aligned box around the keypoints.
    public var box: Box { Box(enclosing: keypoints.map(\.point)) }
}
