/// Stacked Hourglass's own decode, princeton-vl/pose-hg-train `postprocess` (src/util/pose.lua) on
/// `getPreds` (src/util/eval.lua); bearpaw/pytorch-pose `final_preds` (pose/utils/evaluation.py) is the same
/// but for a max ≤ 0, where it puts the location at 0 instead of 1 (1-based).
///
/// In the source's 1-based cells p: p = argmax + 1 (first maximum; a max ≤ 0 gives p = (1, 1)); the score is
/// the heatmap value at p (so for a max ≤ 0 the value of cell (0, 0), not the max); p moves
/// ±0.25 · sign(neighbour difference) on both axes when 1 < pX < W and 1 < pY < H (the source tests both
/// against its square `outputRes`; 0-based, any cell but the outermost ring moves); then p += 0.5.
///
/// Input pixels: `transformPreds` (src/util/img.lua) takes p to the image as
/// getTransform(c, s, res: outputRes)⁻¹ · (p − 1), and `crop` samples the input through the same map with
/// res: inputRes, which differs from it only by the factor inputRes / outputRes. So the input coordinate is
/// (p − 1) · input / heatmap size = (argmax ± 0.25 + 0.5) · stride, in the source's frame where integer
/// input coordinates are pixel indices; `transformPreds` then truncates to whole image pixels, a step of
/// the image mapping that is not done here. The source's maps are square (`getPreds` divides the flat index
/// by the height); other sizes are decoded row-major with each axis tested against its own size.
public struct NewellHeatmapCodec: HeatmapCodec {
    public init() {}

    public func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        let (sx, sy) = heatmaps.stride(inputWidth: inputWidth, inputHeight: inputHeight)
        return (0..<heatmaps.channels).map { k in
            let p = peak(heatmaps, channel: k)
            return Keypoint(x: (p.x - 1) * sx, y: (p.y - 1) * sy, score: Double(p.score))
        }
    }

    /// The source's prediction p (1-based cells, +0.5 included) and score.
    public func peak(_ heatmaps: Heatmaps, channel k: Int) -> (x: Double, y: Double, score: Float) {
        let top = heatmaps.argmax(channel: k)
        let masked = !(top.value > 0)
        let px = masked ? 1 : top.x + 1, py = masked ? 1 : top.y + 1
        // 0-based cell of p and its neighbours.
        let x = px - 1, y = py - 1
        var fx = Double(px), fy = Double(py)
        if px > 1 && px < heatmaps.width && py > 1 && py < heatmaps.height {
            fx += quarterStep(heatmaps[k, y, x + 1] - heatmaps[k, y, x - 1])
            fy += quarterStep(heatmaps[k, y + 1, x] - heatmaps[k, y - 1, x])
        }
        return (fx + 0.5, fy + 0.5, heatmaps[k, y, x])
    }
}
