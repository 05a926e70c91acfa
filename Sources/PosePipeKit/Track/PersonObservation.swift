/// One person seen in one frame, before tracking gives them an id.
public struct PersonObservation: Sendable {
    /// Keypoints in displayed frame pixels.
    public var keypoints: [Keypoint]
    /// Probability that this is a person, 0…1.
    public var score: Double
    /// The crop the keypoints were found in.
    public var crop: RotatedRect
    /// The crop the model suggests for the next frame.
    public var nextCrop: RotatedRect?
    /// Whether the crop followed this person from the previous frame (rather than a fresh detection).
    public var followed: Bool

    public init(keypoints: [Keypoint], score: Double, crop: RotatedRect, nextCrop: RotatedRect? = nil, followed: Bool = false) {
        self.keypoints = keypoints
        self.score = score
        self.crop = crop
        self.nextCrop = nextCrop
        self.followed = followed
    }

    /// The axis-aligned box around the keypoints.
    public var box: Box { Box(enclosing: keypoints.map(\.point)) }
}
