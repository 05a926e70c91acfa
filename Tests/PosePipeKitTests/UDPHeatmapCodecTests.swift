import Testing
@testable import PosePipeKit

@Suite struct UDPHeatmapCodecTests {
    let codec = UDPHeatmapCodec()

    @Test func firstAndLastCellsSitOnTheFirstAndLastInputPixels() {
        // Cell 8 of 17 is the middle: 8 / 16 of the input, not (8 / 17) as the MSRA scaling would give.
        let k = codec.decode(gaussianMap(17, 13, cx: 8, cy: 6), inputWidth: 192, inputHeight: 256)[0]
        #expect(abs(k.x - 96) < 1e-3 && abs(k.y - 128) < 1e-3)
    }

    @Test func recoversASubCellCentre() {
        let k = codec.decode(gaussianMap(16, 16, cx: 7.3, cy: 6.6), inputWidth: 15, inputHeight: 15)[0]
        #expect(abs(k.x - 7.3) < 1e-3 && abs(k.y - 6.6) < 1e-3)
    }

    @Test func borderPeaksAreRefinedAgainstTheEdgePadding() {
        // No guard: a peak on column 0 takes a Newton step too; the edge-padded copy of column 0 puts the
        // fitted maximum between them, half a cell outside the map.
        let k = codec.decode(gaussianMap(16, 16, cx: 0.4, cy: 6), inputWidth: 15, inputHeight: 15)[0]
        #expect(abs(k.x + 0.5) < 1e-3 && abs(k.y - 6) < 1e-3)
    }

    @Test func aMaskedFirstChannelReadsTheEndOfTheLastOne() {
        // Channel 0 is masked (−1, −1); MMPose's flat index then reads its left and upper neighbours from the
        // end of the last channel. With a flat last channel the step lands on cell (0, 0) exactly: the
        // Hessian is d·[[1, −½], [−½, 1]] and the gradient −d/2·(1, 1), d = log 0.5 − log 0.001.
        func decodeFirst(lastCorner: Float) -> Keypoint {
            var values = [Float](repeating: -1, count: 64) + [Float](repeating: 0.5, count: 64)
            values[127] = lastCorner
            let hm = Heatmaps(values: values, channels: 2, height: 8, width: 8, layout: .nchw)
            return codec.decode(hm, inputWidth: 7, inputHeight: 7)[0]
        }
        let flat = decodeFirst(lastCorner: 0.5)
        #expect(abs(flat.x) < 1e-5 && abs(flat.y) < 1e-5 && flat.score == -1)
        let corner = decodeFirst(lastCorner: 0.9)
        #expect(abs(corner.x - flat.x) > 1e-3)
    }
}
