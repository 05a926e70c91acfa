import Foundation
import Testing
@testable import PosePipeKit

/// The crop sampler's own rounding, and its output against bilinear sampling written out plainly with libm's
/// `floor`: the fast path must give the very same tensor, bit for bit, or tracks would change.
@Suite struct CropSamplingTests {
    @Test func floorRoundsDownAsLibmDoes() {
        let values: [Double] = [0, -0.0, 0.5, 1, 2.999999, -0.5, -1, -1.000001, -2.5, 1767.5, -1e-300, 4.4e15, -4.4e15]
        for value in values {
            #expect(CropNormalizer.floor(value) == Int(Foundation.floor(value)), "\(value)")
        }
    }

    @Test func farAwayAndUndefinedPositionsFallOutsideTheFrame() {
        #expect(CropNormalizer.floor(1e300) > 1 << 40)
        #expect(CropNormalizer.floor(-1e300) < -(1 << 40))
        #expect(CropNormalizer.floor(.nan) > 1 << 40)
    }

    /// Bilinear taps at floor(position), pad outside, as CropNormalizer documents it, for an NHWC RGB input.
    func reference(_ frame: VideoFrame, _ input: ModelInput, _ crop: RotatedRect) -> [Float] {
        let map = frame.displayToStored.after(CropNormalizer(input: input).tensorToFrame(crop))
        var out: [Float] = []
        for row in 0..<input.height {
            let start = map.apply(Point2(x: 0.5, y: Double(row) + 0.5))
            var sx = start.x - 0.5, sy = start.y - 0.5
            for _ in 0..<input.width {
                let x0 = Int(Foundation.floor(sx)), y0 = Int(Foundation.floor(sy))
                let fx = Float(sx - Double(x0)), fy = Float(sy - Double(y0))
                let taps = [(0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)]
                var rgb: [Float] = [0, 0, 0]
                let inside = x0 >= 0 && y0 >= 0 && x0 + 1 < frame.width && y0 + 1 < frame.height
                for c in 0..<3 {
                    if inside {
                        let p = { (dx: Int, dy: Int) in Float(frame.rgb[((y0 + dy) * frame.width + x0 + dx) * 3 + c]) }
                        rgb[c] = taps[0].2 * p(0, 0) + taps[1].2 * p(1, 0) + taps[2].2 * p(0, 1) + taps[3].2 * p(1, 1)
                    } else {
                        for (dx, dy, w) in taps {
                            let x = x0 + dx, y = y0 + dy
                            let value = x >= 0 && y >= 0 && x < frame.width && y < frame.height
                                ? Float(frame.rgb[(y * frame.width + x) * 3 + c]) : input.pad
                            rgb[c] += w * value
                        }
                    }
                    out.append(rgb[c] * input.scale[c] + input.offset[c])
                }
                sx += map.a
                sy += map.c
            }
        }
        return out
    }

    @Test(arguments: [0.0, 0.3, -2.1])
    func samplesExactlyAsPlainBilinearOnARealFrame(rotation: Double) throws {
        let decoder = try VideoDecoder(source: Fixtures.sports2d)
        let frame = try #require(try decoder.next())
        let input = ModelInput(name: "x", layout: .nhwc, width: 64, height: 48, normalization: .range(low: -1, high: 1), pad: 10)
        // One crop inside the frame, one hanging over its top-left corner (border and outside taps), one over its
        // bottom-right corner (the frame's last pixel, whose four-byte read would run past the picture).
        for crop in [RotatedRect(center: Point2(x: 900.3, y: 500.7), width: 301, height: 227, rotation: rotation),
                     RotatedRect(center: Point2(x: 20.2, y: 10.9), width: 180, height: 130, rotation: rotation),
                     RotatedRect(center: Point2(x: 1760.1, y: 990.4), width: 30.3, height: 20.1, rotation: rotation)] {
            let tensor = CropNormalizer(input: input).tensor(from: frame, crop: crop)
            let expected = reference(frame, input, crop)
            #expect(tensor == expected)
            #expect(Set(tensor).count > 20, "a real picture, not a flat one")
        }
    }
}
