/// The classic top-down heatmap decode of SimpleBaseline and HRNet: argmax, a quarter cell toward the higher
/// neighbour, times input size / heatmap size. Heatmap cell (i, j) stands for input point (i·s, j·s): no
/// half-cell offset is added.
///
/// - `guard: .axis` is MMPose's `MSRAHeatmap.decode` (mmpose/codecs/msra_heatmap.py, `unbiased=False`):
///   `get_heatmap_maximum` (codecs/utils/post_processing.py) gives location (−1, −1) when the max is ≤ 0;
///   `refine_keypoints` (codecs/utils/refinement.py) moves x only when 1 < x < W−1 and 0 < y < H, y only when
///   1 < y < H−1 and 0 < x < W.
/// - `guard: .joint` is HRNet's `get_final_preds` (deep-high-resolution-net.pytorch lib/core/inference.py):
///   `get_max_preds` multiplies the location by its mask, so a max ≤ 0 gives (0, 0); with
///   px = floor(x + 0.5), both axes move only when 1 < px < W−1 and 1 < py < H−1. This is also the rule of
///   posepipe's BlazePose pipeline.
/// - `logits`: the maps are logits (BlazePose): the score is sigmoid(max) and no peak is masked, since a
///   logit ≤ 0 is a probability ≤ 0.5, not an absent joint. Otherwise the score is the max itself.
public struct MSRAHeatmapCodec: HeatmapCodec {
    public enum Guard: String, Sendable, Codable {
        case axis
        case joint
    }

    public let `guard`: Guard
    public let logits: Bool

    public init(guard: Guard = .axis, logits: Bool = false) {
        self.guard = `guard`
        self.logits = logits
    }

    public func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        let (sx, sy) = heatmaps.stride(inputWidth: inputWidth, inputHeight: inputHeight)
        return (0..<heatmaps.channels).map { k in
            let p = peak(heatmaps, channel: k)
            return Keypoint(x: p.x * sx, y: p.y * sy, score: logits ? sigmoid(Double(p.value)) : Double(p.value))
        }
    }

    /// The refined peak in heatmap cells, with the channel's maximum.
    public func peak(_ heatmaps: Heatmaps, channel k: Int) -> (x: Double, y: Double, value: Float) {
        let top = heatmaps.argmax(channel: k)
        let w = heatmaps.width, h = heatmaps.height
        if !logits && top.value <= 0 {
            let masked: Double = `guard` == .axis ? -1 : 0
            return (masked, masked, top.value)
        }
        let x = top.x, y = top.y
        var dx = 0.0, dy = 0.0
        switch `guard` {
        case .axis:
            if 1 < x && x < w - 1 && 0 < y && y < h { dx = quarterStep(heatmaps[k, y, x + 1] - heatmaps[k, y, x - 1]) }
            if 1 < y && y < h - 1 && 0 < x && x < w { dy = quarterStep(heatmaps[k, y + 1, x] - heatmaps[k, y - 1, x]) }
        case .joint:
            // floor(x + 0.5) of an integer argmax is the argmax itself.
            if 1 < x && x < w - 1 && 1 < y && y < h - 1 {
                dx = quarterStep(heatmaps[k, y, x + 1] - heatmaps[k, y, x - 1])
                dy = quarterStep(heatmaps[k, y + 1, x] - heatmaps[k, y - 1, x])
            }
        }
        return (Double(x) + dx, Double(y) + dy, top.value)
    }
}
