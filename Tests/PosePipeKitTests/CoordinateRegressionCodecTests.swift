import Foundation
import Testing
@testable import PosePipeKit

@Suite struct CoordinateRegressionCodecTests {
    @Test func normalisedCoordinatesScaleByTheInputSize() {
        let codec = CoordinateRegressionCodec(layout: .xy, units: .normalized)
        let k = codec.decode([0.5, 0.25, 1, 1.5], keypointCount: 2, inputWidth: 192, inputHeight: 256)
        #expect(k == [Keypoint(x: 96, y: 64, score: 1), Keypoint(x: 192, y: 384, score: 1)])
        let pixels = CoordinateRegressionCodec(layout: .xy, units: .pixels)
        #expect(pixels.decode([7, 9], keypointCount: 1, inputWidth: 192, inputHeight: 256) == [Keypoint(x: 7, y: 9, score: 1)])
    }

    @Test func scoreColumnIsReadAsIsOrThroughASigmoid() {
        let values: [Float] = [1, 2, 0.3, 4, 5, 0]
        let plain = CoordinateRegressionCodec(layout: .xyScore, units: .pixels).decode(values, keypointCount: 2, inputWidth: 1, inputHeight: 1)
        #expect(plain.map(\.score) == [Double(Float(0.3)), 0])
        let logits = CoordinateRegressionCodec(layout: .xyScore, units: .pixels, logits: true)
            .decode(values, keypointCount: 2, inputWidth: 1, inputHeight: 1)
        #expect(logits[1].score == 0.5 && logits[1].x == 4)
    }

    @Test func rleScoresTheMeanOfOneMinusSigma() {
        let codec = CoordinateRegressionCodec(layout: .rle, units: .normalized)
        let values: [Float] = [0.5, 0.5, 0, 0, 0.5, 0.5, -40, 40, 0.5, 0.5, Float(log(3.0)), Float(log(3.0))]
        let scores = codec.decode(values, keypointCount: 3, inputWidth: 10, inputHeight: 10).map(\.score)
        #expect(scores[0] == 0.5 && abs(scores[1] - 0.5) < 1e-6 && abs(scores[2] - 0.25) < 1e-6)
    }

    /// BlazePose's landmark rows: x, y in crop pixels, a visibility logit at index 3.
    @Test func flatLayoutReadsXYAndVisibility() {
        let codec = CoordinateRegressionCodec(layout: .flat(valuesPerKeypoint: 5, scoreIndex: 3), units: .pixels, logits: true)
        let values: [Float] = [10, 20, 0, 0, 9, 30, 40, 0, 2, 9, 99, 99, 99, 99, 99]
        let points = codec.decode(values, keypointCount: 2, inputWidth: 256, inputHeight: 256)
        #expect(points.count == 2)
        #expect(points[0] == Keypoint(x: 10, y: 20, score: 0.5))
        #expect(points[1].x == 30 && abs(points[1].score - 1 / (1 + exp(-2.0))) < 1e-12)
    }

    @Test func flipBackMirrorsXAndSwapsKeypoints() {
        let normalised = CoordinateRegressionCodec(layout: .xy, units: .normalized)
        let values: [Float] = [0.25, 0.1, 0.5, 0.2, 0.875, 0.3]
        // x → 1 − x − 1/W with shift_coords, keypoint k takes flipIndices[k].
        #expect(normalised.flippedBack(values, flipIndices: [0, 2, 1], shift: true, inputWidth: 4)
            == [0.5, 0.1, -0.125, 0.3, 0.25, 0.2])
        #expect(normalised.flippedBack(values, flipIndices: [0, 2, 1], shift: false, inputWidth: 4)
            == [0.75, 0.1, 0.125, 0.3, 0.5, 0.2])
        let pixels = CoordinateRegressionCodec(layout: .flat(valuesPerKeypoint: 3, scoreIndex: 2), units: .pixels)
        #expect(pixels.flippedBack([1, 5, 9, 3, 6, 8], flipIndices: [1, 0], shift: true, inputWidth: 4)
            == [0, 6, 8, 2, 5, 9])
    }

    @Test func flipTestOfAnExactMirrorGivesThePlainDecode() {
        let codec = CoordinateRegressionCodec(layout: .rle, units: .normalized)
        let plain: [Float] = [0.25, 0.5, -1, 2, 0.75, 0.125, 0.5, 0.5]
        // What the mirrored crop would emit: x' = 1 − x − 1/W, keypoints swapped.
        let w = 8
        let mirrored: [Float] = [1 - 0.75 - 1 / Float(w), 0.125, 0.5, 0.5, 1 - 0.25 - 1 / Float(w), 0.5, -1, 2]
        let both = codec.decodeFlipTest(plain: plain, mirrored: mirrored, flipIndices: [1, 0], shift: true,
                                        inputWidth: w, inputHeight: 4)
        let alone = codec.decode(plain, keypointCount: 2, inputWidth: w, inputHeight: 4)
        for (a, b) in zip(both, alone) {
            #expect(abs(a.x - b.x) < 1e-6 && abs(a.y - b.y) < 1e-6 && abs(a.score - b.score) < 1e-6)
        }
    }

    @Test func thePoseDecoderAveragesTheMirroredCropsCoordinates() throws {
        let codec = CoordinateRegressionCodec(layout: .rle, units: .normalized)
        let (w, h) = (192, 256)
        let decoder = PoseDecoder(reader: .coordinates(codec), keypointCount: 2, inputWidth: w, inputHeight: h,
                                  cropRule: BoxCropRule(padding: 1.25, inputWidth: w, inputHeight: h), clearScore: 0.5,
                                  presence: nil, regression: nil, flip: PoseDecoder.FlipTest(indices: [1, 0], shift: true))
        let crop = RotatedRect(center: Point2(x: 300, y: 200), width: 150, height: 200)
        let plain: [Float] = [0.25, 0.5, -3, -3, 0.75, 0.125, -3, -3]
        // The mirrored crop sees each keypoint 0.02 of the crop further right once flipped back.
        let shifted: [Float] = [0.27, 0.5, -3, -3, 0.77, 0.125, -3, -3]
        let mirrored = codec.flippedBack(shifted, flipIndices: [1, 0], shift: true, inputWidth: w)
        let both = try #require(decoder.decode([plain], mirrored: [mirrored], crop: crop))
        let alone = try #require(decoder.decode([plain], crop: crop))
        let halfway = try #require(decoder.decode([[0.26, 0.5, -3, -3, 0.76, 0.125, -3, -3]], crop: crop))
        for k in 0..<2 {
            #expect(abs(both.keypoints[k].x - halfway.keypoints[k].x) < 1e-3, "keypoint \(k) x")
            #expect(abs(both.keypoints[k].y - alone.keypoints[k].y) < 1e-3, "keypoint \(k) y")
            #expect(abs(both.keypoints[k].x - alone.keypoints[k].x) > 0.5, "keypoint \(k) moved by the mirrored run")
        }
    }
}
