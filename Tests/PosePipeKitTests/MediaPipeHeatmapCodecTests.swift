import Foundation
import Testing
@testable import PosePipeKit

/// MediaPipe's window refinement (`RefineLandmarksFromHeatMap`) on maps whose weighted means are known
/// exactly. A logit of −200 has confidence exactly 0 in float32 (exp overflows), a logit of 0 exactly ½.
@Suite struct MediaPipeHeatmapCodecTests {
    let plain = MediaPipeHeatmapCodec(kernelSize: 7, minConfidence: 0.5, centre: .argmax, logits: false)

    func keypoint(_ codec: MediaPipeHeatmapCodec, _ hm: Heatmaps, regressed: [Point2]? = nil, input: Int = 32) -> Keypoint {
        let points = regressed.map { codec.decode(hm, regressed: $0, inputWidth: input, inputHeight: input) }
            ?? codec.decode(hm, inputWidth: input, inputHeight: input)
        return points[0]
    }

    @Test func theWindowMeanWeighsEachCellByItsValue() {
        // (3·2 + 4·1 + 3·1) / 4 = 3.25 on both axes; cell i is input point i · 32/8.
        let hm = singleMap(8, 8, [(3, 3, 2), (4, 3, 1), (3, 4, 1)], layout: .nhwc)
        let k = keypoint(plain, hm)
        #expect(k.x == 3.25 * 4 && k.y == 3.25 * 4 && k.score == 2)
    }

    @Test func logitsWeighByTheirSigmoid() {
        // Two cells at confidence ½ either side of column 4, the rest at exactly 0.
        let hm = singleMap(8, 8, [(3, 3, 0), (5, 3, 0)], base: -200, layout: .nhwc)
        let k = keypoint(MediaPipeHeatmapCodec(centre: .argmax), hm)
        #expect(k.x == 4 * 4 && k.y == 3 * 4 && k.score == 0.5)
    }

    @Test func onlyCellsWithinTheWindowCount() {
        // Kernel 7 around the argmax (1, 1), cut at the border, spans columns and rows 0…4: the cells in
        // column 5 and row 5 are left out, so x = (1·400 + 4·200) / 600 = 2.
        let hm = singleMap(8, 8, [(1, 1, 400), (4, 1, 200), (5, 1, 100), (1, 5, 100)], layout: .nhwc)
        let k = keypoint(MediaPipeHeatmapCodec(kernelSize: 7, centre: .argmax, logits: false), hm)
        #expect(k.x == 2 * 4 && k.y == 1 * 4)
        let narrow = keypoint(MediaPipeHeatmapCodec(kernelSize: 3, centre: .argmax, logits: false), hm)
        #expect(narrow.x == 1 * 4 && narrow.y == 1 * 4, "kernel 3 sees columns 0…2 only")
    }

    @Test func theWindowIsCentredOnTheRegressedLandmark() {
        // A strong peak at column 12 and a weaker pair at columns 1–2: a guess near column 1 picks the pair.
        let hm = singleMap(16, 8, [(1, 2, 0), (2, 2, 0), (12, 2, 5)], base: -200, layout: .nhwc)
        let codec = MediaPipeHeatmapCodec(kernelSize: 5, centre: .regression)
        // Guess (5.9, 9) of a 64-pixel input: 5.9/64 · 16 = 1.475 → column 1; 9/64 · 8 = 1.125 → row 1.
        let k = keypoint(codec, hm, regressed: [Point2(x: 5.9, y: 9)], input: 64)
        #expect(k.x == 1.5 / 16 * 64 && k.y == 2.0 / 8 * 64 && k.score == 0.5)
        #expect(keypoint(codec, hm, input: 64).x == 12.0 / 16 * 64, "without a guess: the argmax")
    }

    @Test func aWeakWindowLeavesTheGuessAndAGuessOffTheMapIsKept() {
        let hm = singleMap(8, 8, [(2, 2, -0.01), (6, 6, 3)], base: -200, layout: .nhwc)
        let codec = MediaPipeHeatmapCodec(kernelSize: 3, centre: .regression)
        // Largest confidence in the window sigmoid(−0.01) < ½: the regressed point stays, exactly.
        let weak = keypoint(codec, hm, regressed: [Point2(x: 9.7, y: 10.1)])
        #expect(weak.x == Double(Float(9.7) / 32) * 32 && weak.y == Double(Float(10.1) / 32) * 32)
        #expect(abs(weak.score - 1 / (1 + exp(0.01))) < 1e-6)
        let outside = keypoint(codec, hm, regressed: [Point2(x: 40, y: 10)])
        #expect(outside.x == 40 && outside.y == 10 && outside.score == 0)
    }

    @Test func aGuessJustLeftOfTheMapTruncatesIntoItAsInCpp() {
        // −1 px of 32 is −0.25 cells; C++ truncates toward zero, so MediaPipe refines it in column 0.
        let hm = singleMap(8, 8, [(0, 4, 0), (1, 4, 0)], base: -200, layout: .nhwc)
        let k = keypoint(MediaPipeHeatmapCodec(kernelSize: 3, centre: .regression), hm, regressed: [Point2(x: -1, y: 17)])
        #expect(k.x == 0.5 * 4 && k.y == 4 * 4)
    }

    @Test func channelsPastTheRegressedPointsUseTheirArgmax() {
        var values = [Float](repeating: -200, count: 8 * 8 * 2)
        values[(2 * 8 + 2) * 2] = 1
        values[(5 * 8 + 6) * 2 + 1] = 1
        let hm = Heatmaps(values: values, channels: 2, height: 8, width: 8, layout: .nhwc)
        let points = MediaPipeHeatmapCodec(centre: .regression).decode(hm, regressed: [Point2(x: 9, y: 9)], inputWidth: 32, inputHeight: 32)
        #expect(points.map(\.x) == [8, 24] && points.map(\.y) == [8, 20])
    }

    @Test func otherCodecsIgnoreRegressedPoints() {
        let hm = singleMap(8, 8, [(4, 3, 1), (5, 3, 0.5)], layout: .nhwc)
        let msra = MSRAHeatmapCodec(guard: .joint, logits: true)
        #expect(msra.decode(hm, regressed: [Point2(x: 1, y: 1)], inputWidth: 32, inputHeight: 32)
                == msra.decode(hm, inputWidth: 32, inputHeight: 32))
    }

    @Test func pipelinesSelectItByType() throws {
        let description = try describe { json in
            set(&json, "pose.codec", ["type": "mediapipe", "output": "Identity_3", "layout": "NHWC", "kernel": 9, "centre": "argmax",
                                      "min_confidence": 0.25, "logits": false])
        }
        #expect(description.pose.codec.scheme == .mediapipe(layout: .nhwc, kernel: 9, minConfidence: 0.25, centre: .argmax, logits: false))
    }
}
