import Testing
@testable import PosePipeKit

@Suite struct MegviiHeatmapCodecTests {
    let codec = MegviiHeatmapCodec()

    @Test func symmetricPeakGetsTheHalfCellOnly() {
        let hm = singleMap(16, 12, [(8, 5, 255)])
        let k = codec.decode(hm, inputWidth: 64, inputHeight: 48)[0]
        #expect(k.x == 8.5 * 4 && k.y == 5.5 * 4)
        // The blur is rescaled to the original maximum, so a target-height peak scores 255 / 255 + 0.5.
        #expect(abs(k.score - 1.5) < 1e-6)
    }

    @Test func blurredNeighboursDecideTheQuarter() {
        let hm = singleMap(16, 12, [(8, 5, 255), (9, 5, 100), (8, 4, 60)])
        let k = codec.decode(hm, inputWidth: 16, inputHeight: 12)[0]
        #expect(k.x == 8.75 && k.y == 5.25)
    }

    @Test func peaksOnOrNextToTheBorderGetNeitherQuarterNorHalf() {
        for (x, y) in [(1, 5), (0, 5), (15, 5), (8, 0), (8, 1), (8, 11)] {
            let k = codec.decode(singleMap(16, 12, [(x, y, 200), (x == 15 ? 14 : x + 1, y, 90)]),
                                 inputWidth: 16, inputHeight: 12)[0]
            #expect(k.x == Double(x) && k.y == Double(y), "peak (\(x), \(y))")
        }
        // Columns 2 and W-2 are inside: quarter and half.
        let inside = codec.decode(singleMap(16, 12, [(2, 5, 200), (3, 5, 90)]), inputWidth: 16, inputHeight: 12)[0]
        #expect(inside.x == 2.75 && inside.y == 5.5)
        let last = codec.decode(singleMap(16, 12, [(14, 5, 200), (13, 5, 90)]), inputWidth: 16, inputHeight: 12)[0]
        #expect(last.x == 14.25 && last.y == 5.5)
    }

    @Test func negativeMapsAreMaskedAndScoreTheirScaledMaximum() {
        let k = codec.decode(singleMap(16, 12, [(8, 5, -10)], base: -30), inputWidth: 16, inputHeight: 12)[0]
        #expect(k.x == -1 && k.y == -1)
        #expect(k.score < 0.5)
    }
}
