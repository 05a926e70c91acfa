/// Normalization stage: cuts a rotated region out of a frame and writes it as a model's input
/// tensor, by bilinear affine warp, with the model's value range.
///
/// Pixels outside the frame read as black, which is how MediaPipe pads its crops and letterbox.
public struct CropNormalizer: Sendable {
    public let spec: ImageTensorSpec

    public init(spec: ImageTensorSpec) {
        self.spec = spec
    }

    /// The map from tensor coordinates to the frame's displayed coordinates for `region`.
    public func tensorToFrame(_ region: RotatedRect) -> AffineTransform {
        region.cropToFrame(cropWidth: Double(spec.width), cropHeight: Double(spec.height))
    }

    /// A new tensor holding `region` of `frame`.
    public func tensor(from frame: VideoFrame, region: RotatedRect) -> [Float] {
        var values = [Float](repeating: 0, count: spec.elementCount)
        values.withUnsafeMutableBufferPointer { fill($0, from: frame, region: region) }
        return values
    }

    /// Writes `region` of `frame` into `destination`, which holds `spec.elementCount` floats.
    public func fill(_ destination: UnsafeMutableBufferPointer<Float>, from frame: VideoFrame, region: RotatedRect) {
        precondition(destination.count >= spec.elementCount, "tensor buffer too small")
        // Tensor pixel centre → displayed frame → stored frame → pixel-index space (centres on integers).
        let map = frame.displayToStored.after(tensorToFrame(region))
        let scale = (spec.high - spec.low) / 255, offset = spec.low
        let width = frame.width, height = frame.height, stride = width * 3
        frame.rgb.withUnsafeBufferPointer { pixels in
            let rgb = pixels.baseAddress!
            var out = destination.baseAddress!
            for row in 0..<spec.height {
                let start = map.apply(Point2(x: 0.5, y: Double(row) + 0.5))
                var sx = start.x - 0.5, sy = start.y - 0.5
                for _ in 0..<spec.width {
                    let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                    let fx = Float(sx - Double(x0)), fy = Float(sy - Double(y0))
                    var r: Float = 0, g: Float = 0, b: Float = 0
                    if x0 >= 0, y0 >= 0, x0 + 1 < width, y0 + 1 < height {
                        let p = rgb + (y0 * stride + x0 * 3)
                        let w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy
                        r = w00 * Float(p[0]) + w10 * Float(p[3]) + w01 * Float(p[stride]) + w11 * Float(p[stride + 3])
                        g = w00 * Float(p[1]) + w10 * Float(p[4]) + w01 * Float(p[stride + 1]) + w11 * Float(p[stride + 4])
                        b = w00 * Float(p[2]) + w10 * Float(p[5]) + w01 * Float(p[stride + 2]) + w11 * Float(p[stride + 5])
                    } else if x0 >= -1, y0 >= -1, x0 < width, y0 < height {
                        // Border: taps that fall outside the frame count as black.
                        for (dx, dy, weight) in [(0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)] {
                            let x = x0 + dx, y = y0 + dy
                            guard x >= 0, y >= 0, x < width, y < height else { continue }
                            let p = rgb + (y * stride + x * 3)
                            r += weight * Float(p[0])
                            g += weight * Float(p[1])
                            b += weight * Float(p[2])
                        }
                    }
                    out[0] = r * scale + offset
                    out[1] = g * scale + offset
                    out[2] = b * scale + offset
                    out += 3
                    sx += map.a
                    sy += map.c
                }
            }
        }
    }
}
