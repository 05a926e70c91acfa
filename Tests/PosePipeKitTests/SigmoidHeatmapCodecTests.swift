import Foundation
import Testing
@testable import PosePipeKit

/// DARK on logit maps (BlazePose's): the refinement runs on the sigmoid of every cell.
@Suite struct SigmoidHeatmapCodecTests {
    @Test func decodesTheSigmoidOfEveryCellWithTheInnerCodec() {
        // A logit bump around (20.3, 30.6) on a 64×64 map over −8 background.
        var values = [Float](repeating: -8, count: 64 * 64)
        for y in 0..<64 {
            for x in 0..<64 {
                let d = (Float(x) - 20.3) * (Float(x) - 20.3) + (Float(y) - 30.6) * (Float(y) - 30.6)
                values[y * 64 + x] += 12 * Foundation.exp(-d / 8)
            }
        }
        let logits = Heatmaps(values: values, channels: 1, height: 64, width: 64, layout: .nhwc)
        let probabilities = Heatmaps(values: values.map { 1 / (1 + Foundation.exp(-$0)) }, channels: 1, height: 64, width: 64, layout: .nhwc)
        let dark = DARKHeatmapCodec(kernelSize: 11)
        let k = SigmoidHeatmapCodec(dark).decode(logits, inputWidth: 256, inputHeight: 256)[0]
        #expect(k == dark.decode(probabilities, inputWidth: 256, inputHeight: 256)[0])
        #expect(abs(k.score - 1 / (1 + exp(-Double(logits.argmax(channel: 0).value)))) < 1e-6, "the score is a probability")
        // DARK on the logits themselves would log values of −8 clamped to 1e−10: the bump's shape is lost.
        #expect(abs(k.x / 4 - 20.3) < 0.1 && abs(k.y / 4 - 30.6) < 0.1, "(\(k.x / 4), \(k.y / 4))")
    }

    @Test func pipelinesAskForItWithLogits() throws {
        let description = try describe { json in
            set(&json, "pose.codec", ["type": "dark", "output": "Identity_3", "layout": "NHWC", "logits": true])
        }
        #expect(description.pose.codec.scheme == .dark(layout: .nhwc, kernel: 11, logits: true))
    }
}
