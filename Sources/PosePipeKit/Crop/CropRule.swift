/// Person crop stage, first half: where the pose model looks for one person.
///
/// A rule makes a crop from a fresh detection and, to follow a person into the next frame,
/// from the pose just found; it also fixes how the codec's coordinates map back to the frame,
/// since model families disagree on where an input pixel's centre lies.
public protocol CropRule: Sendable {
    /// The crop around a detected person; nil when the detection cannot place one.
    func crop(for detection: Detection) -> RotatedRect?

    /// The crop for the next frame from this frame's pose (`keypoints` and the regression head's
    /// `points`, both in frame pixels); nil when the pose cannot place one.
    func crop(following keypoints: [Keypoint], points: [Point2]?) -> RotatedRect?

    /// The map from the codec's input coordinates to displayed frame pixels for `crop` of a
    /// `inputWidth` × `inputHeight` model input.
    func codecToFrame(_ crop: RotatedRect, inputWidth: Int, inputHeight: Int) -> AffineTransform
}
