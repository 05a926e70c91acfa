/// Peak extraction stage: the classic top-down heatmap decoder of Stacked Hourglass and HRNet.
///
/// For each keypoint's heatmap: take the argmax (first in row-major order on ties), then move a
/// quarter cell toward the higher neighbour on each axis, and only where both neighbours exist
/// away from the border — HRNet's rule, `1 < px < W − 1` and `1 < py < H − 1`. Equal neighbours
/// do not move the point.
///
/// Pixel-centre convention: heatmap cell (i, j) stands for crop point (i·s, j·s), where
/// s = crop size / heatmap size, the mapping HRNet's decoder and MediaPipe's heatmap
/// refinement both use.
public struct HeatmapQuarterOffsetCodec: KeypointCodec {
    public let output: ONNXModel.Output
    /// Heatmaps laid out as [1, H, W, K] (channels last), as TensorFlow-born models emit them.
    public let width: Int
    public let height: Int
    public let channels: Int
    /// How many of the channels are reported, from the first.
    public let keypointCount: Int
    public let cropWidth: Double
    public let cropHeight: Double
    /// Whether heatmap values are logits that need a sigmoid to become scores.
    public let logits: Bool

    public init(output name: String, width: Int, height: Int, channels: Int, keypointCount: Int,
                cropWidth: Double, cropHeight: Double, logits: Bool) {
        self.output = ONNXModel.Output(name: name, shape: [1, height, width, channels])
        self.width = width
        self.height = height
        self.channels = channels
        self.keypointCount = keypointCount
        self.cropWidth = cropWidth
        self.cropHeight = cropHeight
        self.logits = logits
    }

    public func decode(_ values: [Float]) -> [Keypoint] {
        let sx = cropWidth / Double(width), sy = cropHeight / Double(height)
        return (0..<keypointCount).map { k in
            let peak = Self.peak(values, width: width, height: height, channels: channels, channel: k)
            let raw = Double(values[(peak.row * width + peak.column) * channels + k])
            return Keypoint(x: peak.x * sx, y: peak.y * sy, score: logits ? sigmoid(raw) : min(max(raw, 0), 1))
        }
    }

    /// The refined peak of one channel in heatmap cells, with the integer argmax it came from.
    public static func peak(_ hm: [Float], width: Int, height: Int, channels: Int, channel k: Int)
        -> (x: Double, y: Double, column: Int, row: Int)
    {
        func at(_ x: Int, _ y: Int) -> Float { hm[(y * width + x) * channels + k] }
        var best = -Float.infinity, bx = 0, by = 0
        for y in 0..<height {
            for x in 0..<width where at(x, y) > best {
                best = at(x, y)
                bx = x
                by = y
            }
        }
        var x = Double(bx), y = Double(by)
        let px = Int((x + 0.5).rounded(.down)), py = Int((y + 0.5).rounded(.down))
        if 1 < px, px < width - 1, 1 < py, py < height - 1 {
            x += 0.25 * sign(at(px + 1, py) - at(px - 1, py))
            y += 0.25 * sign(at(px, py + 1) - at(px, py - 1))
        }
        return (x, y, bx, by)
    }

    private static func sign(_ v: Float) -> Double { v > 0 ? 1 : (v < 0 ? -1 : 0) }
}
