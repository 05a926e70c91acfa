import Foundation
import Testing
@testable import PosePipeKit

/// SimCC decodes and the top-down crop against MMPose 1.3.2 itself (Scripts/references/mmpose_references.py):
/// `SimCCLabel.decode` with and without DARK, `GetBBoxCenterScale` + `TopdownAffine` and
/// `TopdownPoseEstimator.add_pred_to_datasample`.
@Suite struct MMPoseSimCCAndAffineTests {
    struct SimCCFile: Decodable {
        struct Case: Decodable {
            var keypoints: Int
            var inputWidth: Int
            var inputHeight: Int
            var sigma: [Double]
            var dark: Bool
            var xBase64: String
            var yBase64: String
            var decoded: [[Double]]
        }
        var cases: [Case]
    }

    @Test func simccMatchesMMPose() throws {
        let file: SimCCFile = try CodecFixtures.load("simcc.json")
        #expect(file.cases.count == 6 && file.cases.contains { $0.dark })
        var pixels = Deviation()
        for c in file.cases {
            let codec = SimCCCodec(splitRatio: 2, score: .min, dark: c.dark ? SimCCCodec.Dark(sigmaX: c.sigma[0], sigmaY: c.sigma[1]) : nil)
            let x = CodecFixtures.floats(base64: c.xBase64), y = CodecFixtures.floats(base64: c.yBase64)
            let got = codec.decode(x: x, y: y, keypointCount: c.keypoints, xBins: 2 * c.inputWidth, yBins: 2 * c.inputHeight)
            for (k, (g, w)) in zip(got, c.decoded).enumerated() {
                #expect(pixels.add(g.x, w[0]) && pixels.add(g.y, w[1]), "dark \(c.dark) keypoint \(k): \(g) vs \(w)")
                #expect(g.score == w[2], "dark \(c.dark) keypoint \(k) score")
            }
        }
        #expect(pixels.largest <= 1e-4, "SimCC keypoints differ by \(pixels.largest) px")
    }

    /// MMPose's kernels for RTMPose's σ: (4.9, 5.66) → 29 and 35 taps (int((σ·20 − 7) // 3), an even count stepping down to odd).
    @Test func darkKernelsComeFromSigma() {
        #expect(SimCCCodec.Dark(sigmaX: 4.9, sigmaY: 5.66) == SimCCCodec.Dark(xKernel: 29, yKernel: 35))
        #expect(SimCCCodec.Dark(sigmaX: 6, sigmaY: 6.93) == SimCCCodec.Dark(xKernel: 37, yKernel: 43))
    }

    struct AffineFile: Decodable {
        struct Case: Decodable {
            var inputWidth: Int
            var inputHeight: Int
            var udp: Bool
            var box: [Double]
            var center: [Double]
            var scale: [Double]
            var probes: [[Double]]
            var probesInInput: [[Double]]
            var inputPoints: [[Double]]
            var back: [[Double]]
        }
        var cases: [Case]
    }

    /// posepipe's box crop puts every frame point where MMPose's warp puts it, and maps input points back as
    /// MMPose's estimator does, +0.5 px for posepipe's pixel origin, plain and UDP.
    @Test func boxCropIsTopdownAffine() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let file = try decoder.decode(AffineFile.self, from: Data(contentsOf: Fixtures.folder.appendingPathComponent("mmpose/affine.json")))
        #expect(file.cases.count == 30)
        var forward = Deviation(), back = Deviation()
        for c in file.cases {
            let rule = BoxCropRule(padding: 1.25, udp: c.udp, inputWidth: c.inputWidth, inputHeight: c.inputHeight)
            let box = Box(x: c.box[0] + 0.5, y: c.box[1] + 0.5, width: c.box[2] - c.box[0], height: c.box[3] - c.box[1])
            let crop = try #require(rule.crop(around: box))
            let toFrame = rule.codecToFrame(crop, inputWidth: c.inputWidth, inputHeight: c.inputHeight)
            let toInput = try #require(toFrame.inverted)
            for (p, want) in zip(c.probes, c.probesInInput) {
                let q = toInput.apply(Point2(x: p[0] + 0.5, y: p[1] + 0.5))
                #expect(forward.add(q.x, want[0]) && forward.add(q.y, want[1]))
            }
            if !c.udp {
                for (p, want) in zip(c.inputPoints, c.back) {
                    let q = toFrame.apply(Point2(x: p[0], y: p[1]))
                    #expect(back.add(q.x, want[0] + 0.5) && back.add(q.y, want[1] + 0.5))
                }
            }
        }
        // MMPose builds its warp from float32 points: its input points carry float32 rounding.
        #expect(forward.largest <= 1e-3, "warp differs by \(forward.largest) input px")
        #expect(back.largest <= 1e-4, "back-transform differs by \(back.largest) px")
    }
}
