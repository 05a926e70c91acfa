import Foundation
import Testing
@testable import PosePipeKit

@Suite struct HeatmapQuarterOffsetCodecTests {
    /// A W×H single-channel heatmap with the given cells set.
    func heatmap(_ w: Int, _ h: Int, _ cells: [(Int, Int, Float)]) -> [Float] {
        var values = [Float](repeating: 0, count: w * h)
        for (x, y, v) in cells { values[y * w + x] = v }
        return values
    }

    func peak(_ hm: [Float], _ w: Int, _ h: Int) -> (Double, Double) {
        let p = HeatmapQuarterOffsetCodec.peak(hm, width: w, height: h, channels: 1, channel: 0)
        return (p.x, p.y)
    }

    @Test func shiftsAQuarterTowardTheHigherNeighbour() {
        let hm = heatmap(8, 8, [(4, 3, 1), (5, 3, 0.5), (3, 3, 0.2), (4, 2, 0.6), (4, 4, 0.1)])
        #expect(peak(hm, 8, 8) == (4.25, 2.75))
    }

    @Test func equalNeighboursDoNotMove() {
        let hm = heatmap(8, 8, [(4, 4, 1), (5, 4, 0.5), (3, 4, 0.5), (4, 5, 0.3), (4, 3, 0.3)])
        #expect(peak(hm, 8, 8) == (4, 4))
    }

    @Test func bordersAndTheirNeighboursAreNotShifted() {
        // HRNet's rule 1 < px < W-1: columns 0, 1 and W-1 keep their integer peak.
        #expect(peak(heatmap(8, 8, [(0, 4, 1), (1, 4, 0.9)]), 8, 8) == (0, 4))
        #expect(peak(heatmap(8, 8, [(1, 4, 1), (2, 4, 0.9)]), 8, 8) == (1, 4))
        #expect(peak(heatmap(8, 8, [(7, 4, 1), (6, 4, 0.9)]), 8, 8) == (7, 4))
        #expect(peak(heatmap(8, 8, [(6, 4, 1), (5, 4, 0.9)]), 8, 8) == (5.75, 4))
        #expect(peak(heatmap(8, 8, [(4, 1, 1), (4, 2, 0.9)]), 8, 8) == (4, 1))
        #expect(peak(heatmap(8, 8, [(4, 6, 1), (4, 7, 0.9)]), 8, 8) == (4, 6.25))
    }

    @Test func tiedMaximaTakeTheFirstInRowMajorOrder() {
        let hm = heatmap(8, 8, [(5, 2, 1), (3, 5, 1)])
        #expect(peak(hm, 8, 8) == (5, 2))
    }

    @Test func negativeLogitsStillFindTheirPeak() {
        var hm = [Float](repeating: -9, count: 36)
        hm[3 * 6 + 2] = -1
        hm[3 * 6 + 3] = -2
        #expect(peak(hm, 6, 6) == (2.25, 3))
    }

    @Test func decodeScalesCellsToCropPixelsAndScoresBySigmoid() {
        // Two channels, channels-last; the codec reports only the first keypoint.
        let w = 8, h = 8, c = 2
        var hm = [Float](repeating: 0, count: w * h * c)
        hm[(3 * w + 4) * c] = 2
        hm[(3 * w + 5) * c] = 1
        hm[(6 * w + 2) * c + 1] = 5
        let codec = HeatmapQuarterOffsetCodec(output: "hm", width: w, height: h, channels: c, keypointCount: 1,
                                              cropWidth: 32, cropHeight: 32, logits: true)
        let points = codec.decode(hm)
        #expect(points.count == 1)
        #expect(points[0].x == 4.25 * 4 && points[0].y == 3 * 4)
        #expect(abs(points[0].score - 1 / (1 + exp(-2.0))) < 1e-12)
    }

    @Test func probabilityHeatmapsAreClampedToUnitScores() {
        let codec = HeatmapQuarterOffsetCodec(output: "hm", width: 4, height: 4, channels: 1, keypointCount: 1,
                                              cropWidth: 4, cropHeight: 4, logits: false)
        var hm = [Float](repeating: 0, count: 16)
        hm[5] = 1.3
        #expect(codec.decode(hm)[0].score == 1)
    }
}

@Suite struct RegressionCodecTests {
    @Test func readsXYAndVisibility() {
        let codec = RegressionCodec(output: "r", totalKeypoints: 3, valuesPerKeypoint: 5, keypointCount: 2, scoreIndex: 3)
        let values: [Float] = [10, 20, 0, 0, 9, 30, 40, 0, 2, 9, 99, 99, 99, 99, 99]
        let points = codec.decode(values)
        #expect(points.count == 2)
        #expect(points[0] == Keypoint(x: 10, y: 20, score: 0.5))
        #expect(points[1].x == 30 && abs(points[1].score - 1 / (1 + exp(-2.0))) < 1e-12)
    }
}
