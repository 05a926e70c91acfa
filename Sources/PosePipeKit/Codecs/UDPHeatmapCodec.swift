import Foundation

/// UDP (unbiased data processing) decoding as MMPose runs it: `UDPHeatmap.decode` with
/// `heatmap_type='gaussian'` (mmpose/codecs/udp_heatmap.py) → `refine_keypoints_dark_udp`
/// (mmpose/codecs/utils/refinement.py).
///
/// Argmax and score come from the raw maps (`get_heatmap_maximum`: max ≤ 0 → location (−1, −1), score =
/// max). The maps are blurred with MMPose's max-preserving `gaussian_blur` (k = 11 by default), clipped to
/// [1e−3, 50], logged and edge-padded by one cell; every location, border or not, takes one Newton step
/// −(H + ε·I)⁻¹·∇ (ε = float32 epsilon, H and ∇ from ±1-cell differences). Cells are then scaled as
/// x · input width / (W − 1), y · input height / (H − 1): UDP puts the first and last cells on the first and
/// last input pixels.
///
/// The source reads the neighbours through one flat index into all the padded channels, so a masked
/// location (−1, −1) reads the padded cell (0, 0) of its channel and, to the left and above, the end of the
/// previous channel (for the first channel, negative indices wrap to the end of the last one, as Python
/// indexing does). That is reproduced: masked keypoints land where MMPose puts them.
public struct UDPHeatmapCodec: HeatmapCodec {
    public let blur: GaussianBlur

    public init(kernelSize: Int = 11) {
        blur = GaussianBlur(kernelSize: kernelSize)
    }

    public func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        let blurred = blur.modulated(heatmaps)
        let logs = blurred.values.map { float32Log(min(max($0, Float(1e-3)), 50)) }
        let padded = PaddedLogMaps(logs: logs, channels: heatmaps.channels, height: heatmaps.height,
                                   width: heatmaps.width)
        return (0..<heatmaps.channels).map { k in
            let top = heatmaps.argmax(channel: k)
            let masked = top.value <= 0
            let cell = padded.refined(x: masked ? -1 : top.x, y: masked ? -1 : top.y, channel: k)
            return Keypoint(x: cell.x / Double(heatmaps.width - 1) * Double(inputWidth),
                            y: cell.y / Double(heatmaps.height - 1) * Double(inputHeight), score: Double(top.value))
        }
    }
}

/// The source's `np.pad(heatmaps, ((0, 0), (1, 1), (1, 1)), mode='edge').flatten()`, read by flat index.
private struct PaddedLogMaps {
    let logs: [Float]
    let channels: Int, height: Int, width: Int

    var rowLength: Int { width + 2 }
    var channelLength: Int { (width + 2) * (height + 2) }

    /// The value at a flat index of the padded array; negative indices count from the end.
    func value(_ flat: Int) -> Float {
        let i = flat < 0 ? flat + channelLength * channels : flat
        let k = i / channelLength, rest = i % channelLength
        let y = min(max(rest / rowLength - 1, 0), height - 1), x = min(max(rest % rowLength - 1, 0), width - 1)
        return logs[(k * height + y) * width + x]
    }

    /// One Newton step from cell (x, y) of channel k, in float32 differences and a double inverse as numpy.
    func refined(x: Int, y: Int, channel k: Int) -> (x: Double, y: Double) {
        let i = x + 1 + (y + 1) * rowLength + channelLength * k
        let c = value(i), xp = value(i + 1), xm = value(i - 1)
        let yp = value(i + rowLength), ym = value(i - rowLength)
        let xpyp = value(i + rowLength + 1), xmym = value(i - rowLength - 1)
        let dx: Float = 0.5 * (xp - xm), dy: Float = 0.5 * (yp - ym)
        let dxx: Float = xp - 2 * c + xm, dyy: Float = yp - 2 * c + ym
        let dxy: Float = 0.5 * (xpyp - xp - yp + c + c - xm - ym + xmym)
        let eps = Double(Float.ulpOfOne)
        let a = Double(dxx) + eps, b = Double(dxy), d = Double(dyy) + eps
        let det = a * d - b * b
        guard det != 0 else { return (Double(x), Double(y)) }
        let ox = (d * Double(dx) - b * Double(dy)) / det
        let oy = (a * Double(dy) - b * Double(dx)) / det
        return (Double(Float(Double(x) - ox)), Double(Float(Double(y) - oy)))
    }
}
