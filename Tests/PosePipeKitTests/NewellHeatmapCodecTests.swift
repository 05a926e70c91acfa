import Testing
@testable import PosePipeKit

@Suite struct NewellHeatmapCodecTests {
    let codec = NewellHeatmapCodec()

    func peak(_ hm: Heatmaps) -> (Double, Double) {
        let p = codec.peak(hm, channel: 0)
        return (p.x, p.y)
    }

    @Test func oneBasedPeakMovesAQuarterThenAddsAHalf() {
        // 0-based (4, 3) is p = (5, 4); right and upper neighbours are higher.
        let hm = singleMap(8, 8, [(4, 3, 1), (5, 3, 0.6), (3, 3, 0.2), (4, 2, 0.5), (4, 4, 0.1)])
        #expect(peak(hm) == (5.75, 4.25))
        // Input pixels: (p - 1) * stride.
        let k = codec.decode(hm, inputWidth: 32, inputHeight: 32)[0]
        #expect(k == Keypoint(x: 4.75 * 4, y: 3.25 * 4, score: 1))
    }

    @Test func everyCellButTheOutermostRingMoves() {
        // Unlike HRNet's 1 < x, Hourglass's 1 < pX (1-based) lets 0-based column 1 move.
        #expect(peak(singleMap(8, 8, [(1, 4, 1), (2, 4, 0.9), (1, 5, 0.5)])) == (2.75, 5.75))
        #expect(peak(singleMap(8, 8, [(0, 4, 1), (1, 4, 0.9), (0, 5, 0.5)])) == (1.5, 5.5))
        #expect(peak(singleMap(8, 8, [(6, 4, 1), (5, 4, 0.9), (6, 3, 0.5)])) == (7.25, 5.25))
        #expect(peak(singleMap(8, 8, [(7, 4, 1), (6, 4, 0.9)])) == (8.5, 5.5))
        #expect(peak(singleMap(8, 8, [(4, 7, 1), (4, 6, 0.9)])) == (5.5, 8.5))
    }

    @Test func maskedPeaksSitOnTheFirstCellAndScoreItsValue() {
        let hm = singleMap(8, 8, [(0, 0, -0.7), (5, 5, -0.1)], base: -2)
        let p = codec.peak(hm, channel: 0)
        #expect(p.x == 1.5 && p.y == 1.5 && p.score == -0.7)
        #expect(codec.decode(hm, inputWidth: 32, inputHeight: 32)[0] == Keypoint(x: 2, y: 2, score: Double(Float(-0.7))))
    }

    @Test func nonSquareMapsUseEachAxisOwnSize() {
        // W = 6, H = 10: column 4 (pX = 5 < 6) moves; row 8 (pY = 9 < 10) moves.
        let hm = singleMap(6, 10, [(4, 8, 1), (5, 8, 0.5), (4, 9, 0.4)])
        #expect(peak(hm) == (5.75, 9.75))
    }
}
