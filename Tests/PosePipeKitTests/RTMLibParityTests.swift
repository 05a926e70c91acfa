import Foundation
import Testing
@testable import PosePipeKit

/// posepipe against rtmlib 0.0.16 itself: its SimCC decode, RTMPose's crop and normalisation, YOLOX's and
/// RTMDet's boxes, and the detector + RTMPose pair end to end, on synthetic exports whose outputs are set
/// (Scripts/references/synthetic_exports.py; no trained RTMPose, YOLOX or RTMDet weights reach this machine).
@Suite struct RTMLibParityTests {
    let fixture: RTMLibFixture

    init() throws {
        fixture = try RTMLibFixture.load()
    }

    @Test func simccDecodeIsRTMLibs() throws {
        #expect(fixture.simcc.count == 2)
        for c in fixture.simcc {
            let got = SimCCCodec(splitRatio: 2, score: .mean).decode(x: c.x.map(Float.init), y: c.y.map(Float.init), keypointCount: c.keypoints,
                                                                     xBins: c.xBins, yBins: c.yBins)
            for (k, point) in got.enumerated() {
                // rtmlib's locations are bins; posepipe's are bins ÷ 2, exactly.
                #expect(point.x * 2 == c.locations[k][0] && point.y * 2 == c.locations[k][1], "keypoint \(k): \(point) vs \(c.locations[k])")
                #expect(point.score == c.scores[k], "keypoint \(k) score")
            }
        }
    }

    /// RTMPose's crop (bbox_xyxy2cs, top_down_affine) is the box crop rule's, and the tensor is rtmlib's BGR,
    /// mean/std one to within OpenCV's rounding of the warped picture to whole grey levels.
    @Test func rtmposeCropAndTensorAreRTMLibs() throws {
        let frames = try RTMLibFixture.frames()
        let description = try PipelineDescription.load("rtmpose")
        let pose = try #require(description.pose)
        let input = ModelInput(name: "input", layout: .nchw, width: 192, height: 256, channels: pose.input.channels,
                               normalization: pose.input.normalization)
        let rule = BoxCropRule(padding: 1.25, inputWidth: 192, inputHeight: 256)
        var largest = 0.0, total = 0.0, count = 0
        for c in fixture.crops {
            // rtmlib's box numbers are pixel-centre coordinates: posepipe's box is half a pixel right and down.
            let box = Box(x: c.box[0] + 0.5, y: c.box[1] + 0.5, width: c.box[2] - c.box[0], height: c.box[3] - c.box[1])
            let crop = try #require(rule.crop(around: box))
            let toFrame = rule.codecToFrame(crop, inputWidth: 192, inputHeight: 256)
            // Input pixel (u, v) → rtmlib's frame pixel: the inverse of its warp matrix, +0.5 in posepipe's.
            let m = c.warp
            let det = m[0][0] * m[1][1] - m[0][1] * m[1][0]
            for (u, v) in [(0.0, 0.0), (191.0, 0.0), (0.0, 255.0), (95.5, 127.5)] {
                let x = (m[1][1] * (u - m[0][2]) - m[0][1] * (v - m[1][2])) / det
                let y = (-m[1][0] * (u - m[0][2]) + m[0][0] * (v - m[1][2])) / det
                let p = toFrame.apply(Point2(x: u, y: v))
                #expect(abs(p.x - (x + 0.5)) < 1e-3 && abs(p.y - (y + 0.5)) < 1e-3, "box \(c.box) input (\(u), \(v)): \(p) vs \(x + 0.5), \(y + 0.5)")
            }
            let tensor = CropNormalizer(input: input).tensor(from: frames[c.frame], crop: crop)
            for s in c.sample {
                let (row, column, channel) = (Int(s[0]), Int(s[1]), Int(s[2]))
                let difference = abs(Double(tensor[channel * 192 * 256 + row * 192 + column]) - s[3])
                largest = max(largest, difference)
                total += difference
                count += 1
            }
        }
        // One grey level is 1/57 ≈ 0.0175 here. OpenCV's warpAffine places samples on a 1/32-pixel grid with
        // fixed-point weights and rounds to whole levels, posepipe samples exactly: on sharp edges that is up to
        // two levels (observed 0.0346 largest, 0.0031 mean, over 1600 samples).
        #expect(largest <= 3 / 57.12, "largest tensor difference \(largest)")
        #expect(total / Double(count) <= 0.5 / 57.12, "mean tensor difference \(total / Double(count))")
    }

    @Test(arguments: [("yolox", "yolox-e2e"), ("yolox", "yolox-grid"), ("rtmdet", "rtmdet-e2e")])
    func detectorBoxesAreRTMLibsPlusHalfAPixel(part: String, model: String) throws {
        let frames = try RTMLibFixture.frames()
        var description = try PipelineLoader().detector(named: part)
        description = try description.using(ModelReference(file: RTMLibFixture.model("\(model)-synthetic.onnx").path, folder: Fixtures.folder))
        guard case .letterbox(let letterbox) = description else { Issue.record("\(part) is no letterbox detector"); return }
        let detector = try LetterboxDetector(letterbox)
        let expected = fixture.detectors.filter { $0.model == model }
        #expect(expected.count == 4)
        for e in expected {
            let got = try detector.detect(in: frames[e.frame], tiles: [])
            try #require(got.count == e.boxes.count, "\(model) frame \(e.frame): \(got.count) boxes vs rtmlib's \(e.boxes.count)")
            for (g, w) in zip(got, e.boxes) {
                let corners = [g.box.x, g.box.y, g.box.x + g.box.width, g.box.y + g.box.height]
                for (a, b) in zip(corners, w) { #expect(abs(a - (b + 0.5)) < 1e-4, "\(model) frame \(e.frame): \(corners) vs \(w)") }
            }
        }
    }

    /// The issue's command: the user's RTMPose export with their YOLOX export, on frames whose people come from
    /// a detection, gives rtmlib's keypoints + 0.5 px.
    @Test(arguments: [("yolox-e2e+rtmpose", "yolox", "yolox-e2e"), ("yolox-grid+rtmpose", "yolox", "yolox-grid"),
                      ("rtmdet-e2e+rtmpose", "rtmdet", "rtmdet-e2e"), ("rtmpose-whole-frame", "whole-frame", nil)])
    func detectorAndRTMPoseGiveRTMLibsKeypoints(run: String, detector: String, detectorModel: String?) throws {
        let expected = try fixture.run(run)
        var arguments = ["--pipeline", "rtmpose", "--model", RTMLibFixture.model("rtmpose-synthetic.onnx").path, "--detector", detector]
        if let detectorModel { arguments += ["--detector-model", RTMLibFixture.model("\(detectorModel)-synthetic.onnx").path] }
        let frames = try Self.runCLI(arguments + ["--detect-every", "1", "--detect-tiles", "0"])
        try #require(frames.count == expected.frames.count)
        // Frame 0's people come from the detection; with the whole frame every frame's do.
        let compared = detector == "whole-frame" ? Array(expected.frames.indices) : [0]
        for i in compared {
            let want = expected.frames[i], got = frames[i]
            try #require(got.count == want.keypoints.count, "frame \(i): \(got.count) people vs rtmlib's \(want.keypoints.count)")
            for (person, reference) in zip(Self.matched(got, to: want.keypoints), zip(want.keypoints, want.scores)) {
                for k in reference.0.indices {
                    let g = person[k], w = reference.0[k]
                    #expect(abs(g[0] - (w[0] + 0.5)) < 0.02 && abs(g[1] - (w[1] + 0.5)) < 0.02, "\(run) frame \(i) keypoint \(k): \(g) vs rtmlib \(w)")
                    #expect(abs(g[2] - reference.1[k]) < 0.001, "\(run) frame \(i) keypoint \(k) score")
                }
            }
        }
    }

    /// A HALPE-26 export (Sports2D's body_with_feet) is recognised by its 26 keypoints.
    @Test func halpe26IsReadFromTheModel() throws {
        let overrides = PipelineOverrides(model: RTMLibFixture.model("rtmpose-halpe26-synthetic.onnx").path)
        let description = try overrides.apply(to: PipelineDescription.load("rtmpose"))
        #expect(description.keypoints.name == "halpe-26" && description.keypoints.count == 26)
        let expected = try fixture.run("yolox-e2e+rtmpose-halpe26")
        let frames = try Self.runCLI(["--pipeline", "rtmpose", "--model", RTMLibFixture.model("rtmpose-halpe26-synthetic.onnx").path,
                                      "--detector", "yolox", "--detector-model", RTMLibFixture.model("yolox-e2e-synthetic.onnx").path,
                                      "--detect-tiles", "0"])
        let want = expected.frames[0]
        for (person, reference) in zip(Self.matched(frames[0], to: want.keypoints), want.keypoints) {
            #expect(person.count == 26)
            for (g, w) in zip(person, reference) { #expect(abs(g[0] - (w[0] + 0.5)) < 0.02 && abs(g[1] - (w[1] + 0.5)) < 0.02) }
        }
    }

    @Test func rtmoGivesRTMLibsPeoplePlusHalfAPixel() throws {
        let frames = try Self.runCLI(["--pipeline", "rtmo", "--model", RTMLibFixture.model("rtmo-synthetic.onnx").path])
        for (i, want) in fixture.rtmo.enumerated() {
            try #require(frames[i].count == want.keypoints.count, "frame \(i)")
            for (person, reference) in zip(Self.matched(frames[i], to: want.keypoints), zip(want.keypoints, want.scores)) {
                for k in reference.0.indices {
                    #expect(abs(person[k][0] - (reference.0[k][0] + 0.5)) < 0.02 && abs(person[k][1] - (reference.0[k][1] + 0.5)) < 0.02)
                    #expect(abs(person[k][2] - reference.1[k]) < 0.001)
                }
            }
        }
    }

    /// Each frame's people's keypoints [[x, y, score]] from a posepipe run on the fixture clip, unsmoothed.
    static func runCLI(_ arguments: [String]) throws -> [[[[Double]]]] {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("tracks.jsonl")
        let outcome = try CLI.run([RTMLibFixture.video, "-o", out.path, "--no-smoothing", "--quiet"] + arguments)
        guard outcome.status == 0 else { throw RTMLibFixture.FixtureError(message: "posepipe exited \(outcome.status): \(outcome.stderr)") }
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").dropFirst()
        return try lines.map { line in
            let frame = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return (frame["persons"] as! [[String: Any]]).map { $0["keypoints"] as! [[Double]] }
        }
    }

    /// posepipe's people in the order of rtmlib's, by the nearest first keypoint.
    static func matched(_ people: [[[Double]]], to reference: [[[Double]]]) -> [[[Double]]] {
        reference.map { want in
            people.min { a, b in
                hypot(a[0][0] - want[0][0] - 0.5, a[0][1] - want[0][1] - 0.5) < hypot(b[0][0] - want[0][0] - 0.5, b[0][1] - want[0][1] - 0.5)
            } ?? []
        }
    }
}
