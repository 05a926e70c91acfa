import Testing
@testable import PosePipeKit

@Suite struct HeatmapsCodecTests {
    /// Channel k, row y, column x holds 100k + 10y + x.
    func numbered(_ layout: TensorLayout, c: Int = 2, h: Int = 3, w: Int = 4) -> Heatmaps {
        var values = [Float](repeating: 0, count: c * h * w)
        for k in 0..<c {
            for y in 0..<h {
                for x in 0..<w {
                    let i = layout == .nchw ? (k * h + y) * w + x : (y * w + x) * c + k
                    values[i] = Float(100 * k + 10 * y + x)
                }
            }
        }
        return Heatmaps(values: values, channels: c, height: h, width: w, layout: layout)
    }

    @Test func bothLayoutsReadTheSameCells() {
        var channelOne: [Float] = []
        for y in 0..<3 {
            for x in 0..<4 { channelOne.append(Float(100 + 10 * y + x)) }
        }
        for layout in [TensorLayout.nchw, .nhwc] {
            let hm = numbered(layout)
            #expect(hm[1, 2, 3] == 123 && hm[0, 1, 0] == 10 && hm[1, 0, 2] == 102)
            #expect(hm.plane(1) == channelOne)
        }
        #expect(numbered(.nhwc).values[1] == 100)
        #expect(TensorLayout(rawValue: "NHWC") == .nhwc)
    }

    @Test func argmaxIsNumpys() {
        #expect(singleMap(4, 3, [(2, 0, 5), (1, 2, 5)]).argmax(channel: 0) == (2, 0, 5))
        let nan = singleMap(4, 3, [(3, 0, 9), (1, 1, .nan), (2, 2, .nan)]).argmax(channel: 0)
        #expect(nan.x == 1 && nan.y == 1 && nan.value.isNaN)
        #expect(singleMap(3, 3, [], base: -.infinity).argmax(channel: 0) == (0, 0, -.infinity))
    }

    @Test func flipBackMirrorsSwapsAndShifts() {
        let hm = Heatmaps(values: [1, 2, 3, 4, 10, 20, 30, 40], channels: 2, height: 1, width: 4, layout: .nchw)
        #expect(hm.flippedBack(flipIndices: [0, 1], shift: false).values == [4, 3, 2, 1, 40, 30, 20, 10])
        #expect(hm.flippedBack(flipIndices: [1, 0], shift: false).values == [40, 30, 20, 10, 4, 3, 2, 1])
        // shift_heatmap: every column moves right by one, column 0 is kept.
        #expect(hm.flippedBack(flipIndices: [1, 0], shift: true).values == [40, 40, 30, 20, 4, 4, 3, 2])
        let nhwc = Heatmaps(values: [1, 10, 2, 20, 3, 30, 4, 40], channels: 2, height: 1, width: 4, layout: .nhwc)
        #expect(nhwc.flippedBack(flipIndices: [1, 0], shift: true).values == [40, 4, 40, 4, 30, 3, 20, 2])
    }

    @Test func averageIsHalfTheSumInSinglePrecision() {
        let a = Heatmaps(values: [1, 2, 0.1, 16_777_216], channels: 1, height: 2, width: 2, layout: .nchw)
        let b = Heatmaps(values: [3, -2, 0.2, 1], channels: 1, height: 2, width: 2, layout: .nhwc)
        // 2^24 + 1 rounds to 2^24 in float before halving.
        #expect(a.averaged(with: b).values == [2, 0, (Float(0.1) + Float(0.2)) * 0.5, 8_388_608])
    }
}
