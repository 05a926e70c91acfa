import Foundation

/// Turns a landmark model's raw output into keypoints in the model's input (crop) pixels.
///
/// Like MMPose's codecs, each decoding method is one small type; a pipeline description names
/// the one its model needs.
public protocol KeypointCodec: Sendable {
    /// The model output this codec reads.
    var output: ONNXModel.Output { get }
    /// Keypoints in crop pixel coordinates (`Point2`'s convention), scores in 0…1.
    func decode(_ values: [Float]) -> [Keypoint]
}

/// Logistic function, for models that emit logits.
@inline(__always)
func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
