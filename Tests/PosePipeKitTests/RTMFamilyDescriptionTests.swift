import Foundation
import Testing
@testable import PosePipeKit

/// The new parts' descriptions, and the decoders behind the new stages without ONNX Runtime.
@Suite struct RTMFamilyDescriptionTests {
    /// A pipeline folder with `pipeline` written as its pipeline.json; the loader also sees the shipped parts.
    func load(_ pipeline: [String: Any]) throws -> PipelineDescription {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pipeline.json")
        try JSONSerialization.data(withJSONObject: pipeline).write(to: file)
        return try PipelineLoader(folders: [Fixtures.root.appendingPathComponent("Pipelines")]).load(file.path)
    }

    func rtmpose(_ change: (inout [String: Any]) -> Void) throws -> PipelineDescription {
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: Fixtures.root.appendingPathComponent("Pipelines/rtmpose/pipeline.json"))) as! [String: Any]
        change(&json)
        return try load(json)
    }

    func message(_ body: () throws -> Any) -> String {
        do {
            _ = try body()
            return "accepted"
        } catch PosePipeError.invalidPipeline(let message) {
            return message
        } catch {
            return "\(error)"
        }
    }

    @Test func theShippedRTMPoseDescriptionIsRTMLibsConvention() throws {
        let d = try PipelineDescription.load("rtmpose")
        let pose = try #require(d.pose)
        #expect(pose.model == nil && pose.input.channels == .bgr && pose.input.name == "input")
        #expect(pose.input.normalization == .meanStd(mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375]))
        #expect(pose.codec.scheme == .simcc(yOutput: "simcc_y", codec: SimCCCodec(splitRatio: 2, score: .mean)))
        #expect(d.keypointChoices == ["coco-17", "halpe-26", "coco-wholebody-133"])
        guard case .letterbox(let yolox) = try PipelineLoader().detector(named: "yolox"),
              case .letterbox(let rtmdet) = try PipelineLoader().detector(named: "rtmdet") else {
            Issue.record("yolox and rtmdet are letterbox parts")
            return
        }
        #expect(yolox.input.pad == 114 && yolox.input.channels == .bgr && yolox.input.normalization == .range(low: 0, high: 255))
        #expect(yolox.scoreThreshold == 0.7 && yolox.endToEndThreshold == 0.3 && yolox.personClass == nil)
        #expect(rtmdet.scoreThreshold == 0.3 && rtmdet.personClass == 0)
    }

    @Test func badSimCCSettingsAreRefusedByPath() {
        #expect(message { try rtmpose { p in
            var pose = p["pose"] as! [String: Any]; var codec = pose["codec"] as! [String: Any]
            codec["score"] = "max"; pose["codec"] = codec; p["pose"] = pose
        } }.contains("pose.codec.score: must be min (MMPose's) or mean (rtmlib's)"))
        #expect(message { try rtmpose { p in
            var pose = p["pose"] as! [String: Any]; var codec = pose["codec"] as! [String: Any]
            codec["sigma"] = [4.9]; pose["codec"] = codec; p["pose"] = pose
        } }.contains("pose.codec.sigma: must be two numbers"))
        #expect(message { try rtmpose { p in
            var pose = p["pose"] as! [String: Any]; pose["flip_test"] = ["shift_heatmap": false]; p["pose"] = pose
        } }.contains("pose.flip_test: posepipe has no flip test for SimCC vectors"))
    }

    @Test func keypointChoicesMustNameSetsAndIncludeTheDefault() {
        #expect(message { try rtmpose { $0["keypoint_choices"] = ["halpe-26"] } }.contains("keypoint_choices: must list the pipeline's own keypoints 'coco-17'"))
        #expect(message { try rtmpose { $0["keypoint_choices"] = ["coco-17", "nope"] } }.contains("keypoint_choices: no keypoint set named 'nope'"))
    }

    @Test func theNewKeypointSetsAreMMPosesShapes() throws {
        let loader = PipelineLoader()
        let halpe = try loader.keypointSet(named: "halpe-26"), whole = try loader.keypointSet(named: "coco-wholebody-133")
        #expect(halpe.count == 26 && whole.count == 133)
        #expect(halpe.keypoints.prefix(17) == (try loader.keypointSet(named: "coco-17")).keypoints.prefix(17))
        #expect(halpe.flip[halpe.index(of: "left_heel")!] == halpe.index(of: "right_heel"))
        #expect(halpe.index(of: "neck") == 18 && halpe.flip[18] == 18)
        #expect(whole.flip[whole.index(of: "left_big_toe")!] == whole.index(of: "right_big_toe"))
    }

    @Test func yoloxGridAndEndToEndDecodeAsRTMLib() {
        let decoder = LetterboxBoxDecoder(inputWidth: 64, inputHeight: 64, strides: [32], scoreThreshold: 0.5, endToEndThreshold: 0.3,
                                          nmsIouThreshold: 0.45, personClass: nil)
        #expect(decoder.cellCount == 4 && decoder.format(of: [1, 4, 7]) == .grid(classes: 2) && decoder.format(of: [1, 9, 5]) == .endToEnd)
        #expect(decoder.format(of: [1, 5, 7]) == nil)
        // Cell (1, 0) at stride 32: centre (0.5 + 1, 0.5)·32, size e^0·32; objectness 0.9 × class 1's 0.8.
        var grid = [Float](repeating: 0, count: 4 * 7)
        grid.replaceSubrange(7..<14, with: [0.5, 0.5, 0, 0, 0.9, 0.1, 0.8])
        grid.replaceSubrange(21..<28, with: [0.5, 0.5, log(2), log(2), 0.95, 0.7, 0.1])  // cell (1, 1): class 0
        let boxes = decoder.decode(grid, shape: [1, 4, 7], ratio: 0.5)
        #expect(boxes.count == 2)
        // Classes in order: class 0's box first, then class 1's, each ÷ the ratio.
        // Cell (1, 1): centre 48, size 2·32 = 64 → [16, 80] in the input, [32, 160] in the frame.
        let first = [boxes[0].x1, boxes[0].y1, boxes[0].x2, boxes[0].y2]
        #expect(zip(first, [32, 32, 160, 160] as [Float]).allSatisfy { abs($0 - $1) < 1e-4 } && boxes[0].score == Float(0.95) * Float(0.7))
        #expect(boxes[1] == .init(x1: 64, y1: -0, x2: 128, y2: 64, score: Float(0.9) * Float(0.8)))
        let e2e = decoder.decode([1, 2, 3, 4, 0.31, 5, 6, 7, 8, 0.3], shape: [1, 2, 5], ratio: 2)
        #expect(e2e == [.init(x1: 0.5, y1: 1, x2: 1.5, y2: 2, score: 0.31)])
    }

    /// rtmlib's overlap counts a box's sides one pixel more: two 10-pixel boxes 5 apart overlap by 6/16.
    @Test func rtmlibsNMSUsesPlusOneAreas() {
        let a = LetterboxBoxDecoder.Box(x1: 0, y1: 0, x2: 9, y2: 9, score: 0.9), b = LetterboxBoxDecoder.Box(x1: 5, y1: 0, x2: 14, y2: 9, score: 0.8)
        #expect(abs(LetterboxBoxDecoder.overlap(a, b) - 50 / 150) < 1e-6)
        #expect(LetterboxBoxDecoder.nms([b, a], threshold: 0.3) == [a])
        #expect(LetterboxBoxDecoder.nms([b, a], threshold: 0.34) == [a, b])
    }

    @Test func rtmoRowsAreSuppressedAndMovedHalfAPixel() {
        let decoder = LetterboxPoseDecoder(kind: .rtmo, keypointCount: 1, scoreThreshold: 0.7, nmsIouThreshold: 0.45)
        let boxes: [Float] = [0, 0, 100, 200, 0.8, 2, 0, 102, 200, 0.9, 300, 0, 400, 200, 0.75, 0, 0, 10, 10, 0.7]
        let points: [Float] = [50, 60, 0.5, 52, 61, 0.6, 350, 70, 0.4, 1, 1, 1]
        let people = decoder.rtmo(boxes: boxes, keypoints: points, ratio: 2)
        #expect(people.count == 2)
        #expect(people[0].keypoints == [Keypoint(x: 26.5, y: 31, score: Double(Float(0.6)))])
        #expect(people[1].keypoints == [Keypoint(x: 175.5, y: 35.5, score: Double(Float(0.4)))])
    }

    @Test func simccScoresAndMasksAsEachTool() {
        // Keypoint 0: x max 0.8 at bin 3, y max 0.4 at bin 1; keypoint 1: y's maximum is negative.
        let x: [Float] = [0, 0.1, 0.2, 0.8, 0.3, 0, 0.5, 0.6, 0.2, 0.1, 0, 0]
        let y: [Float] = [0.1, 0.4, 0.2, 0, -0.9, -0.95, -0.92, -0.91]
        let mean = SimCCCodec(score: .mean).decode(x: x, y: y, keypointCount: 2, xBins: 6, yBins: 4)
        let minimum = SimCCCodec(score: .min).decode(x: x, y: y, keypointCount: 2, xBins: 6, yBins: 4)
        #expect(mean[0] == Keypoint(x: 1.5, y: 0.5, score: Double(Float(0.5) * (Float(0.8) + Float(0.4)))))
        #expect(minimum[0] == Keypoint(x: 1.5, y: 0.5, score: Double(Float(0.4))))
        // min: −0.9 ≤ 0 → at −1 ÷ 2; mean: (0.6 − 0.9) / 2 ≤ 0 too.
        #expect(minimum[1].x == -0.5 && minimum[1].y == -0.5 && mean[1].x == -0.5)
    }
}
