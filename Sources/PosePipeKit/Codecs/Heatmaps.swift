/// One crop's K heatmaps of H×W cells, read in place from a model's flat output in either layout.
public struct Heatmaps: Sendable {
    public let channels: Int
    public let height: Int
    public let width: Int
    public let layout: TensorLayout
    public let values: [Float]

    /// `values` holds exactly `channels · height · width` numbers, the batch axis of one crop dropped.
    public init(values: [Float], channels: Int, height: Int, width: Int, layout: TensorLayout) {
        precondition(channels > 0 && height > 0 && width > 0, "heatmaps need at least one cell")
        precondition(values.count == channels * height * width,
                     "\(values.count) values for \(channels)×\(height)×\(width) heatmaps")
        self.values = values
        self.channels = channels
        self.height = height
        self.width = width
        self.layout = layout
    }

    @inline(__always)
    public func index(channel: Int, y: Int, x: Int) -> Int {
        switch layout {
        case .nchw: (channel * height + y) * width + x
        case .nhwc: (y * width + x) * channels + channel
        }
    }

    public subscript(channel: Int, y: Int, x: Int) -> Float {
        values[index(channel: channel, y: y, x: x)]
    }

    /// The channel's maximum with its cell, first in row-major order among equal values, and a NaN counting
    /// as the maximum at its first occurrence — numpy's `argmax`/`amax`, which every reference decode uses.
    public func argmax(channel: Int) -> (x: Int, y: Int, value: Float) {
        var best = self[channel, 0, 0], bx = 0, by = 0
        if best.isNaN { return (0, 0, best) }
        for y in 0..<height {
            for x in 0..<width {
                let v = self[channel, y, x]
                if v.isNaN { return (x, y, v) }
                if v > best {
                    best = v
                    bx = x
                    by = y
                }
            }
        }
        return (bx, by, best)
    }

    /// Input pixels per heatmap cell on each axis, the `input_size / heatmap_size` MMPose's codecs scale by.
    public func stride(inputWidth: Int, inputHeight: Int) -> (x: Double, y: Double) {
        (Double(inputWidth) / Double(width), Double(inputHeight) / Double(height))
    }

    /// One channel in row-major order.
    public func plane(_ channel: Int) -> [Float] {
        var plane = [Float](repeating: 0, count: height * width)
        for y in 0..<height {
            for x in 0..<width { plane[y * width + x] = self[channel, y, x] }
        }
        return plane
    }

    /// Heatmaps built from row-major planes, one per channel (channels first).
    public init(planes: [[Float]], height: Int, width: Int) {
        self.init(values: Array(planes.joined()), channels: planes.count, height: height, width: width,
                  layout: .nchw)
    }

    /// The heatmaps of a mirrored crop brought back to the plain crop, as MMPose's `flip_heatmaps`
    /// (mmpose/models/utils/tta.py, `flip_mode='heatmap'`): mirror x, take channel `flipIndices[k]` as channel
    /// k, and with `shift` move every column one to the right (`hm[..., 1:] = hm[..., :-1]`), so column 0 is
    /// kept and the last column dropped. MMPose turns `shift_heatmap` on for HRNet and Hourglass configs,
    /// off for UDP and MSPN.
    public func flippedBack(flipIndices: [Int], shift: Bool) -> Heatmaps {
        precondition(flipIndices.count == channels, "\(flipIndices.count) flip indices for \(channels) channels")
        var out = [Float](repeating: 0, count: values.count)
        for k in 0..<channels {
            let source = flipIndices[k]
            for y in 0..<height {
                for x in 0..<width {
                    let column = shift ? max(x - 1, 0) : x
                    out[index(channel: k, y: y, x: x)] = self[source, y, width - 1 - column]
                }
            }
        }
        return Heatmaps(values: out, channels: channels, height: height, width: width, layout: layout)
    }

    /// The mean of two runs' heatmaps, `(a + b) · 0.5` in single precision as MMPose's heads average a flip
    /// test. Both must have the same shape; the result keeps this one's layout.
    public func averaged(with other: Heatmaps) -> Heatmaps {
        precondition(other.channels == channels && other.height == height && other.width == width,
                     "averaging heatmaps of different shapes")
        var out = values
        for k in 0..<channels {
            for y in 0..<height {
                for x in 0..<width {
                    let i = index(channel: k, y: y, x: x)
                    out[i] = (values[i] + other[k, y, x]) * 0.5
                }
            }
        }
        return Heatmaps(values: out, channels: channels, height: height, width: width, layout: layout)
    }
}
