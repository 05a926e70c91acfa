import Foundation

/// Turns one crop's heatmaps into keypoints, one per channel, the way one model family's reference code
/// decodes them.
///
/// Coordinates are the model input's pixels exactly as the family's reference decode computes them, before
/// any crop → image transform; each conforming type's documentation says which convention that is. Scores
/// are the reference's scores, unchanged (they need not lie in 0…1).
public protocol HeatmapCodec: Sendable {
    func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint]
    /// The same, for a model that also regresses its keypoints: `regressed[k]` is keypoint k as the model's
    /// coordinate head puts it, in input pixels. Codecs that refine around that first guess (MediaPipe's) use
    /// it; the others decode the heatmaps alone.
    func decode(_ heatmaps: Heatmaps, regressed: [Point2], inputWidth: Int, inputHeight: Int) -> [Keypoint]
}

extension HeatmapCodec {
    public func decode(_ heatmaps: Heatmaps, regressed: [Point2], inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        decode(heatmaps, inputWidth: inputWidth, inputHeight: inputHeight)
    }
}

/// A quarter cell times `np.sign` of a difference of two heatmap values: a tie does not move a peak, a NaN
/// spreads as in numpy.
@inline(__always)
func quarterStep(_ difference: Float) -> Double {
    difference > 0 ? 0.25 : (difference < 0 ? -0.25 : (difference.isNaN ? .nan : 0))
}
