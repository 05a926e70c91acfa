import Foundation
import Testing
@testable import PosePipeKit

/// A reproducible generator for random test heatmaps (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One W×H channel with the given cells set over `base`, in either layout (one channel: same values).
func singleMap(_ w: Int, _ h: Int, _ cells: [(Int, Int, Float)], base: Float = 0,
               layout: TensorLayout = .nchw) -> Heatmaps {
    var values = [Float](repeating: base, count: w * h)
    for (x, y, v) in cells { values[y * w + x] = v }
    return Heatmaps(values: values, channels: 1, height: h, width: w, layout: layout)
}

@Suite struct MSRAHeatmapCodecTests {
    /// BlazePose's rule: HRNet's joint guard on logits, channels last.
    let blazePose = MSRAHeatmapCodec(guard: .joint, logits: true)
    let mmpose = MSRAHeatmapCodec(guard: .axis)

    func peak(_ codec: MSRAHeatmapCodec, _ hm: Heatmaps) -> (Double, Double) {
        let p = codec.peak(hm, channel: 0)
        return (p.x, p.y)
    }

    // The assertions of HeatmapQuarterOffsetCodecTests, on the new type.

    @Test func shiftsAQuarterTowardTheHigherNeighbour() {
        let hm = singleMap(8, 8, [(4, 3, 1), (5, 3, 0.5), (3, 3, 0.2), (4, 2, 0.6), (4, 4, 0.1)], layout: .nhwc)
        #expect(peak(blazePose, hm) == (4.25, 2.75))
    }

    @Test func equalNeighboursDoNotMove() {
        let hm = singleMap(8, 8, [(4, 4, 1), (5, 4, 0.5), (3, 4, 0.5), (4, 5, 0.3), (4, 3, 0.3)], layout: .nhwc)
        #expect(peak(blazePose, hm) == (4, 4))
    }

    @Test func jointGuardKeepsBordersAndTheirNeighboursUnshifted() {
        // HRNet's rule 1 < px < W-1: columns 0, 1 and W-1 keep their integer peak.
        #expect(peak(blazePose, singleMap(8, 8, [(0, 4, 1), (1, 4, 0.9)], layout: .nhwc)) == (0, 4))
        #expect(peak(blazePose, singleMap(8, 8, [(1, 4, 1), (2, 4, 0.9)], layout: .nhwc)) == (1, 4))
        #expect(peak(blazePose, singleMap(8, 8, [(7, 4, 1), (6, 4, 0.9)], layout: .nhwc)) == (7, 4))
        #expect(peak(blazePose, singleMap(8, 8, [(6, 4, 1), (5, 4, 0.9)], layout: .nhwc)) == (5.75, 4))
        #expect(peak(blazePose, singleMap(8, 8, [(4, 1, 1), (4, 2, 0.9)], layout: .nhwc)) == (4, 1))
        #expect(peak(blazePose, singleMap(8, 8, [(4, 6, 1), (4, 7, 0.9)], layout: .nhwc)) == (4, 6.25))
    }

    @Test func tiedMaximaTakeTheFirstInRowMajorOrder() {
        #expect(peak(blazePose, singleMap(8, 8, [(5, 2, 1), (3, 5, 1)], layout: .nhwc)) == (5, 2))
    }

    @Test func negativeLogitsStillFindTheirPeak() {
        let hm = singleMap(6, 6, [(2, 3, -1), (3, 3, -2)], base: -9, layout: .nhwc)
        #expect(peak(blazePose, hm) == (2.25, 3))
    }

    @Test func decodeScalesCellsToInputPixelsAndScoresBySigmoid() {
        let w = 8, h = 8, c = 2
        var values = [Float](repeating: 0, count: w * h * c)
        values[(3 * w + 4) * c] = 2
        values[(3 * w + 5) * c] = 1
        values[(6 * w + 2) * c + 1] = 5
        let points = blazePose.decode(Heatmaps(values: values, channels: c, height: h, width: w, layout: .nhwc),
                                      inputWidth: 32, inputHeight: 32)
        #expect(points.count == 2)
        #expect(points[0].x == 4.25 * 4 && points[0].y == 3 * 4)
        #expect(abs(points[0].score - 1 / (1 + exp(-2.0))) < 1e-12)
        #expect(points[1].x == 2 * 4 && points[1].y == 6 * 4)
    }

    @Test func probabilityMapsScoreTheirMaximumUnclamped() {
        // The old codec clamped to 1; MMPose's and HRNet's score is the maximum itself.
        let hm = singleMap(4, 4, [(1, 1, 1.3)])
        #expect(MSRAHeatmapCodec(guard: .joint).decode(hm, inputWidth: 4, inputHeight: 4)[0].score == Double(Float(1.3)))
    }

    // MMPose's per-axis guards (refine_keypoints).

    @Test func axisGuardNeedsTheOtherCoordinateInside() {
        // Row 0: x would move (1 < 4 < 7) but MMPose also asks 0 < y.
        #expect(peak(mmpose, singleMap(8, 8, [(4, 0, 1), (5, 0, 0.9), (4, 1, 0.5)])) == (4, 0))
        // Column 0: y would move but MMPose also asks 0 < x; x = 0 itself never moves.
        #expect(peak(mmpose, singleMap(8, 8, [(0, 4, 1), (0, 5, 0.9), (1, 4, 0.5)])) == (0, 4))
        // Row 1: x moves, y does not (1 < y fails).
        #expect(peak(mmpose, singleMap(8, 8, [(4, 1, 1), (5, 1, 0.9), (4, 2, 0.5)])) == (4.25, 1))
        // Column 1: y moves, x does not.
        #expect(peak(mmpose, singleMap(8, 8, [(1, 4, 1), (2, 4, 0.9), (1, 3, 0.5)])) == (1, 3.75))
    }

    @Test func axisGuardMovesOnTheLastRowAndColumnAlongThem() {
        // Last row: x moves (0 < 7 < 8), y does not (7 < H-1 fails); HRNet's rule moves neither.
        let lastRow = singleMap(8, 8, [(4, 7, 1), (3, 7, 0.9), (4, 6, 0.5)])
        #expect(peak(mmpose, lastRow) == (3.75, 7))
        #expect(peak(MSRAHeatmapCodec(guard: .joint), lastRow) == (4, 7))
        let lastColumn = singleMap(8, 8, [(7, 4, 1), (7, 5, 0.9), (6, 4, 0.5)])
        #expect(peak(mmpose, lastColumn) == (7, 4.25))
        // Column W-2 moves both ways under both rules.
        #expect(peak(mmpose, singleMap(8, 8, [(6, 4, 1), (7, 4, 0.9), (6, 3, 0.5)])) == (6.25, 3.75))
    }

    @Test func maximaAtOrBelowZeroAreMaskedUnlessLogits() {
        let negative = singleMap(8, 8, [(3, 4, -0.1), (4, 4, -0.5)], base: -2)
        let axis = mmpose.decode(negative, inputWidth: 32, inputHeight: 16)[0]
        #expect(axis == Keypoint(x: -4, y: -2, score: Double(Float(-0.1))))
        let joint = MSRAHeatmapCodec(guard: .joint).decode(negative, inputWidth: 32, inputHeight: 16)[0]
        #expect(joint == Keypoint(x: 0, y: 0, score: Double(Float(-0.1))))
        let zero = singleMap(8, 8, [(3, 4, 0)], base: -1)
        #expect(peak(mmpose, zero) == (-1, -1))
        // A logit of -0.1 is a probability of 0.475: the peak stays where it is and moves a quarter.
        let logit = MSRAHeatmapCodec(guard: .axis, logits: true).decode(negative, inputWidth: 32, inputHeight: 16)[0]
        #expect(logit.x == 3.25 * 4 && logit.y == 4 * 2)
        #expect(abs(logit.score - 1 / (1 + exp(0.1))) < 1e-8)
    }

    @Test func layoutsDecodeAlike() {
        var generator = SeededGenerator(seed: 7)
        let c = 3, h = 6, w = 5
        let nchw = (0..<(c * h * w)).map { _ in Float.random(in: -1...1, using: &generator) }
        var nhwc = nchw
        for k in 0..<c {
            for y in 0..<h {
                for x in 0..<w { nhwc[(y * w + x) * c + k] = nchw[(k * h + y) * w + x] }
            }
        }
        let a = mmpose.decode(Heatmaps(values: nchw, channels: c, height: h, width: w, layout: .nchw), inputWidth: 20, inputHeight: 24)
        let b = mmpose.decode(Heatmaps(values: nhwc, channels: c, height: h, width: w, layout: .nhwc), inputWidth: 20, inputHeight: 24)
        #expect(a == b)
    }
}
