import Foundation
import Testing
@testable import PosePipeKit

@Suite struct GaussianBlurCodecTests {
    @Test func smallKernelsAreOpenCVsTables() {
        #expect(GaussianBlur.openCVKernel(size: 5) == [0.0625, 0.25, 0.375, 0.25, 0.0625])
        #expect(GaussianBlur.openCVKernel(size: 9).reduce(0, +) == 1)
        #expect(GaussianBlur.openCVKernel(size: 9)[4] == 60.0 / 256)
    }

    @Test func largerKernelsSampleSigmaFromTheSize() {
        // k = 11: σ = 0.3 · (5 − 1) + 0.8 = 2, so neighbouring taps fall by exp(−(2i + 1) / 8).
        let k = GaussianBlur.openCVKernel(size: 11).map(Double.init)
        #expect(abs(k.reduce(0, +) - 1) < 1e-6)
        #expect(k == k.reversed())
        for i in 0..<5 { #expect(abs(k[5 - i - 1] / k[5 - i] - exp(-Double(2 * i + 1) / 8)) < 1e-6) }
    }

    @Test func aSingleCellSpreadsAsTheKernelsOuterProduct() {
        for size in [5, 11] {
            let blur = GaussianBlur(kernelSize: size)
            let w = 15, h = 13
            var plane = [Float](repeating: 0, count: w * h)
            plane[6 * w + 7] = 1
            let out = blur.blurred(plane, width: w, height: h)
            let r = size / 2
            for dy in -r...r {
                for dx in -r...r {
                    #expect(out[(6 + dy) * w + 7 + dx] == blur.weights[r + dy] * blur.weights[r + dx])
                }
            }
            #expect(out[6 * w + 7 + r + 1] == 0)
        }
    }

    @Test func modulationKeepsEachChannelsMaximum() {
        let planes = [gaussianMap(12, 16, cx: 4.2, cy: 9.7).values, singleMap(12, 16, [(0, 0, 3), (5, 5, 1)]).values]
        let hm = Heatmaps(planes: planes, height: 16, width: 12)
        let out = GaussianBlur(kernelSize: 11).modulated(hm)
        for k in 0..<2 {
            let before = hm.argmax(channel: k).value, after = out.argmax(channel: k).value
            #expect(abs(after - before) <= before.ulp)
        }
    }

    @Test func anAllZeroMapStaysZero() {
        let out = GaussianBlur(kernelSize: 5).modulated(singleMap(6, 6, []))
        #expect(out.values.allSatisfy { $0 == 0 })
    }
}
