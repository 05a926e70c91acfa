import Foundation
import Testing
@testable import PosePipeKit

/// A sampled σ-2 Gaussian centred at (cx, cy), as MMPose's targets are drawn.
func gaussianMap(_ w: Int, _ h: Int, cx: Double, cy: Double, sigma: Double = 2, peak: Double = 1) -> Heatmaps {
    var values = [Float](repeating: 0, count: w * h)
    for y in 0..<h {
        for x in 0..<w {
            let d2 = (Double(x) - cx) * (Double(x) - cx) + (Double(y) - cy) * (Double(y) - cy)
            values[y * w + x] = Float(peak * exp(-d2 / (2 * sigma * sigma)))
        }
    }
    return Heatmaps(values: values, channels: 1, height: h, width: w, layout: .nchw)
}

@Suite struct DARKHeatmapCodecTests {
    let codec = DARKHeatmapCodec()

    func cell(_ hm: Heatmaps) -> (x: Double, y: Double) {
        let p = codec.decode(hm, inputWidth: hm.width, inputHeight: hm.height)[0]
        return (p.x, p.y)
    }

    @Test func recoversASubCellCentreFarBetterThanTheQuarterRule() {
        let p = cell(gaussianMap(16, 16, cx: 7.3, cy: 6.6))
        #expect(abs(p.x - 7.3) < 1e-3 && abs(p.y - 6.6) < 1e-3)
        let quarter = MSRAHeatmapCodec().decode(gaussianMap(16, 16, cx: 7.3, cy: 6.6), inputWidth: 16, inputHeight: 16)[0]
        #expect(quarter.x == 7.25 && quarter.y == 6.75)
    }

    @Test func aCentredPeakStaysPut() {
        let p = cell(gaussianMap(16, 16, cx: 8, cy: 6))
        #expect(abs(p.x - 8) < 1e-4 && abs(p.y - 6) < 1e-4)
    }

    @Test func onlyCellsTwoAwayFromTheBorderAreRefined() {
        // 1 < x < W-2: on a 16-wide map column 13 is refined (the zero padding of the blur pulls it off
        // the true centre this close to the border), column 14 (W-2) is not.
        let refined = cell(gaussianMap(16, 16, cx: 13.3, cy: 7))
        #expect(refined.x != 13 && abs(refined.x - 13.3) < 0.5)
        #expect(cell(gaussianMap(16, 16, cx: 14.3, cy: 7)) == (14, 7))
        #expect(cell(gaussianMap(16, 16, cx: 1.3, cy: 7)) == (1, 7))
        #expect(abs(cell(gaussianMap(16, 16, cx: 2.3, cy: 7)).x - 2.3) < 0.15)
    }

    @Test func scoreIsTheRawMaximumAndNegativeMapsAreMasked() {
        let hm = gaussianMap(16, 16, cx: 8, cy: 8, peak: 0.8)
        #expect(codec.decode(hm, inputWidth: 64, inputHeight: 64)[0].score == Double(Float(0.8)))
        let masked = codec.decode(singleMap(16, 16, [(5, 5, -0.2)], base: -1), inputWidth: 64, inputHeight: 64)[0]
        #expect(masked == Keypoint(x: -4, y: -4, score: Double(Float(-0.2))))
    }
}
