import Foundation

/// DARK (distribution-aware) decoding as MMPose runs it: `MSRAHeatmap.decode` with `unbiased=True`
/// (mmpose/codecs/msra_heatmap.py) → `refine_keypoints_dark` (mmpose/codecs/utils/refinement.py).
///
/// Argmax and score come from the raw maps (`get_heatmap_maximum`: max ≤ 0 → location (−1, −1), score =
/// max). The maps are then blurred with MMPose's max-preserving `gaussian_blur` (k = 11 by default; 17 in
/// MMPose's σ = 3 configs), clamped to ≥ 1e−10 and logged; only when 1 < x < W−2 and 1 < y < H−2 the
/// location takes one Newton step, −H⁻¹·∇ with central differences (∇ = ½·(right − left), H from the
/// ±2-cell second differences ¼·(…)), and only when det H ≠ 0. Then × input / heatmap size, no half cell.
/// Differences and the determinant are taken in float32 as in numpy.
public struct DARKHeatmapCodec: HeatmapCodec {
    public let blur: GaussianBlur

    public init(kernelSize: Int = 11) {
        blur = GaussianBlur(kernelSize: kernelSize)
    }

    public func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        let (sx, sy) = heatmaps.stride(inputWidth: inputWidth, inputHeight: inputHeight)
        let logs = logMaps(heatmaps)
        return (0..<heatmaps.channels).map { k in
            let p = peak(heatmaps, logMaps: logs, channel: k)
            return Keypoint(x: p.x * sx, y: p.y * sy, score: Double(p.value))
        }
    }

    /// log(max(blur(maps), 1e−10)), channels first.
    func logMaps(_ heatmaps: Heatmaps) -> Heatmaps {
        let blurred = blur.modulated(heatmaps)
        let floor = Float(1e-10)
        return Heatmaps(values: blurred.values.map { float32Log(max($0, floor)) },
                        channels: blurred.channels, height: blurred.height, width: blurred.width, layout: .nchw)
    }

    /// The refined location in heatmap cells, with the raw maximum.
    func peak(_ heatmaps: Heatmaps, logMaps m: Heatmaps, channel k: Int) -> (x: Double, y: Double, value: Float) {
        let top = heatmaps.argmax(channel: k)
        if top.value <= 0 { return (-1, -1, top.value) }
        let x = top.x, y = top.y
        guard 1 < x && x < m.width - 2 && 1 < y && y < m.height - 2 else { return (Double(x), Double(y), top.value) }
        let dx: Float = 0.5 * (m[k, y, x + 1] - m[k, y, x - 1])
        let dy: Float = 0.5 * (m[k, y + 1, x] - m[k, y - 1, x])
        let dxx: Float = 0.25 * (m[k, y, x + 2] - 2 * m[k, y, x] + m[k, y, x - 2])
        let dxy: Float = 0.25 * (m[k, y + 1, x + 1] - m[k, y - 1, x + 1] - m[k, y + 1, x - 1] + m[k, y - 1, x - 1])
        let dyy: Float = 0.25 * (m[k, y + 2, x] - 2 * m[k, y, x] + m[k, y - 2, x])
        let det32: Float = dxx * dyy - dxy * dxy
        guard det32 != 0 else { return (Double(x), Double(y), top.value) }
        let a = Double(dxx), b = Double(dxy), d = Double(dyy), gx = Double(dx), gy = Double(dy)
        let det = a * d - b * b
        let ox = -(d * gx - b * gy) / det
        let oy = -(a * gy - b * gx) / det
        return (Double(Float(x) + Float(ox)), Double(Float(y) + Float(oy)), top.value)
    }
}
