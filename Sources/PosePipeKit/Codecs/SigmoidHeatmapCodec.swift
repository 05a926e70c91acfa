import Foundation

/// A codec for probability heatmaps run on a model whose heatmaps are logits (BlazePose's): every cell
/// becomes its sigmoid before `inner` decodes, so refinements that assume a Gaussian-like bump of
/// non-negative values (DARK's log-Taylor step) see one, and scores are probabilities.
public struct SigmoidHeatmapCodec<Inner: HeatmapCodec>: HeatmapCodec {
    public let inner: Inner

    public init(_ inner: Inner) {
        self.inner = inner
    }

    public func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        inner.decode(Self.activated(heatmaps), inputWidth: inputWidth, inputHeight: inputHeight)
    }

    public func decode(_ heatmaps: Heatmaps, regressed: [Point2], inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        inner.decode(Self.activated(heatmaps), regressed: regressed, inputWidth: inputWidth, inputHeight: inputHeight)
    }

    /// The maps with every value replaced by its sigmoid, in float32.
    static func activated(_ heatmaps: Heatmaps) -> Heatmaps {
        Heatmaps(values: heatmaps.values.map { 1 / (1 + Foundation.exp(-$0)) }, channels: heatmaps.channels,
                 height: heatmaps.height, width: heatmaps.width, layout: heatmaps.layout)
    }
}
