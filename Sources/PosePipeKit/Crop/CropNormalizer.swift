/// Normalization stage: cuts a crop out of a frame and writes it as a model's input tensor, by
/// bilinear affine warp, in the model's layout, channel order and value normalisation.
///
/// Pixels outside the frame read as the input's pad value: black by default, which is how
/// MediaPipe pads its crops and letterbox and how OpenCV's `warpAffine` fills its border in
/// MMPose's crops.
public struct CropNormalizer: Sendable {
    public let input: ModelInput

    public init(input: ModelInput) {
        self.input = input
    }

    /// The map from tensor coordinates to the frame's displayed coordinates for `crop`.
    public func tensorToFrame(_ crop: RotatedRect) -> AffineTransform {
        crop.cropToFrame(cropWidth: Double(input.width), cropHeight: Double(input.height))
    }

    /// A new tensor holding `crop` of `frame`, mirrored left to right when `mirrored` (the
    /// second picture of a flip test).
    public func tensor(from frame: VideoFrame, crop: RotatedRect, mirrored: Bool = false) -> [Float] {
        var values = [Float](repeating: 0, count: input.elementCount)
        values.withUnsafeMutableBufferPointer {
            fill($0, from: frame, crop: crop)
            if mirrored { mirror($0) }
        }
        return values
    }

    /// Writes `crop` of `frame` into `destination`, which holds `input.elementCount` floats.
    public func fill(_ destination: UnsafeMutableBufferPointer<Float>, from frame: VideoFrame, crop: RotatedRect) {
        precondition(destination.count >= input.elementCount, "tensor buffer too small")
        // Tensor pixel centre → displayed frame → stored frame → pixel-index space (centres on integers).
        let map = frame.displayToStored.after(tensorToFrame(crop))
        let (s0, s1, s2) = (input.scale[0], input.scale[1], input.scale[2])
        let (o0, o1, o2) = (input.offset[0], input.offset[1], input.offset[2])
        let bgr = input.channels == .bgr
        let planar = input.layout == .nchw
        let plane = input.width * input.height
        let width = frame.width, height = frame.height, stride = width * 3
        let pad = input.pad
        frame.rgb.withUnsafeBufferPointer { pixels in
            let rgb = pixels.baseAddress!
            let base = destination.baseAddress!
            // A tap reads four bytes (its RGB and the next pixel's R): the last pixel of the frame cannot.
            let lastWideTap = pixels.count - 4
            var index = 0
            for row in 0..<input.height {
                let start = map.apply(Point2(x: 0.5, y: Double(row) + 0.5))
                var sx = start.x - 0.5, sy = start.y - 0.5
                for _ in 0..<input.width {
                    let x0 = Self.floor(sx), y0 = Self.floor(sy)
                    let fx = Float(sx - Double(x0)), fy = Float(sy - Double(y0))
                    var r: Float = 0, g: Float = 0, b: Float = 0
                    if x0 >= 0, y0 >= 0, x0 + 1 < width, y0 + 1 < height, y0 * stride + x0 * 3 + stride + 3 <= lastWideTap {
                        // The three channels side by side in one vector, in the same order of operations as the
                        // scalar line below: the same floats, a third of the instructions.
                        let p = rgb + (y0 * stride + x0 * 3)
                        let w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy
                        let sum = w00 * Self.tap(p) + w10 * Self.tap(p + 3) + w01 * Self.tap(p + stride) + w11 * Self.tap(p + stride + 3)
                        (r, g, b) = (sum[0], sum[1], sum[2])
                    } else if x0 >= 0, y0 >= 0, x0 + 1 < width, y0 + 1 < height {
                        let p = rgb + (y0 * stride + x0 * 3)
                        let w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy
                        r = w00 * Float(p[0]) + w10 * Float(p[3]) + w01 * Float(p[stride]) + w11 * Float(p[stride + 3])
                        g = w00 * Float(p[1]) + w10 * Float(p[4]) + w01 * Float(p[stride + 1]) + w11 * Float(p[stride + 4])
                        b = w00 * Float(p[2]) + w10 * Float(p[5]) + w01 * Float(p[stride + 2]) + w11 * Float(p[stride + 5])
                    } else if x0 >= -1, y0 >= -1, x0 < width, y0 < height {
                        // Border: taps that fall outside the frame read as the pad value.
                        for (dx, dy, weight) in [(0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)] {
                            let x = x0 + dx, y = y0 + dy
                            guard x >= 0, y >= 0, x < width, y < height else {
                                if pad != 0 {
                                    r += weight * pad
                                    g += weight * pad
                                    b += weight * pad
                                }
                                continue
                            }
                            let p = rgb + (y * stride + x * 3)
                            r += weight * Float(p[0])
                            g += weight * Float(p[1])
                            b += weight * Float(p[2])
                        }
                    } else {
                        (r, g, b) = (pad, pad, pad)
                    }
                    if bgr { swap(&r, &b) }
                    if planar {
                        base[index] = r * s0 + o0
                        base[plane + index] = g * s1 + o1
                        base[2 * plane + index] = b * s2 + o2
                    } else {
                        base[3 * index] = r * s0 + o0
                        base[3 * index + 1] = g * s1 + o1
                        base[3 * index + 2] = b * s2 + o2
                    }
                    index += 1
                    sx += map.a
                    sy += map.c
                }
            }
        }
    }

    /// Four bytes from `p` as floats: a pixel's R, G, B and the next byte.
    @inline(__always)
    static func tap(_ p: UnsafePointer<UInt8>) -> SIMD4<Float> {
        SIMD4<Float>(SIMD4<UInt8>(truncatingIfNeeded: SIMD4<UInt32>(repeating: UnsafeRawPointer(p).loadUnaligned(as: UInt32.self))
            &>> SIMD4<UInt32>(0, 8, 16, 24)))
    }

    /// `value` rounded down, as `Int(value.rounded(.down))` but without a call to libm's `floor` for every
    /// tap (a tenth of the sampling's time); values beyond ±2^52 (far outside any frame) come back clamped.
    @inline(__always)
    static func floor(_ value: Double) -> Int {
        guard value > -4.5e15, value < 4.5e15 else { return value < 0 ? Int(-4.5e15) : Int(4.5e15) }
        let truncated = Int(value)
        return Double(truncated) > value ? truncated - 1 : truncated
    }

    /// Mirrors a filled tensor left to right in place, as flipping the cropped picture does.
    public func mirror(_ tensor: UnsafeMutableBufferPointer<Float>) {
        let w = input.width, h = input.height
        if input.layout == .nchw {
            for row in 0..<(3 * h) {
                let start = row * w
                for x in 0..<(w / 2) { tensor.swapAt(start + x, start + w - 1 - x) }
            }
        } else {
            for row in 0..<h {
                let start = row * w * 3
                for x in 0..<(w / 2) {
                    for c in 0..<3 { tensor.swapAt(start + 3 * x + c, start + 3 * (w - 1 - x) + c) }
                }
            }
        }
    }
}
