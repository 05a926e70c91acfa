/// MSPN's decode as MMPose runs it, `MegviiHeatmap.decode` (mmpose/codecs/megvii_heatmap.py).
///
/// The maps are first blurred with MMPose's max-preserving `gaussian_blur` (kernel k: MMPose's MSPN configs
/// decode with the last of their codec list, k = 5); then on the blurred maps: argmax with
/// `get_heatmap_maximum` (max ≤ 0 → location (−1, −1)); only when 1 < x < W−1 and 1 < y < H−1 both axes move
/// by 0.25 · sign(neighbour difference) + 0.5 (a peak on or next to the border gets neither the quarter nor
/// the half cell); then × input / heatmap size. Score = blurred max / 255 + 0.5 in float32 (Megvii targets
/// peak at 255).
///
/// MSPN's own test (megvii-research/MSPN exps/*/test.py `get_results`) differs: a plain blur without the
/// rescale, a 0.25 step toward the second maximum as a unit vector, clamping, `x · 4 + 2`, and the score read
/// from the unblurred map at the rounded location.
public struct MegviiHeatmapCodec: HeatmapCodec {
    public let blur: GaussianBlur

    public init(kernelSize: Int = 5) {
        blur = GaussianBlur(kernelSize: kernelSize)
    }

    public func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        let (sx, sy) = heatmaps.stride(inputWidth: inputWidth, inputHeight: inputHeight)
        let blurred = blur.modulated(heatmaps)
        return (0..<blurred.channels).map { k in
            let p = Self.peak(blurred, channel: k)
            return Keypoint(x: p.x * sx, y: p.y * sy, score: Double(p.value / 255 + 0.5))
        }
    }

    /// The peak of an already blurred channel in heatmap cells, with the blurred maximum.
    static func peak(_ blurred: Heatmaps, channel k: Int) -> (x: Double, y: Double, value: Float) {
        let top = blurred.argmax(channel: k)
        if top.value <= 0 { return (-1, -1, top.value) }
        let x = top.x, y = top.y
        guard 1 < x && x < blurred.width - 1 && 1 < y && y < blurred.height - 1 else {
            return (Double(x), Double(y), top.value)
        }
        let dx = quarterStep(blurred[k, y, x + 1] - blurred[k, y, x - 1])
        let dy = quarterStep(blurred[k, y + 1, x] - blurred[k, y - 1, x])
        return (Double(x) + dx + 0.5, Double(y) + dy + 0.5, top.value)
    }
}
