import Foundation
import Testing
@testable import PosePipeKit

/// A description read from a scratch folder after `edit` changed the shipped BlazePose one (its
/// detector written inline, model paths absolute), so each test breaks exactly one field.
func describe(_ edit: (inout [String: Any]) -> Void) throws -> PipelineDescription {
    let shipped = Fixtures.root.appendingPathComponent("Pipelines")
    var json = try JSONSerialization.jsonObject(with: Data(contentsOf: shipped.appendingPathComponent("blazepose/pipeline.json"))) as! [String: Any]
    var detector = try JSONSerialization.jsonObject(with: Data(contentsOf: shipped.appendingPathComponent("detectors/blazepose/detector.json"))) as! [String: Any]
    detector["model"] = shipped.appendingPathComponent("blazepose/pose_detection.onnx").path
    json["detector"] = detector
    var pose = json["pose"] as! [String: Any]
    pose["model"] = shipped.appendingPathComponent("blazepose/pose_landmark_full.onnx").path
    json["pose"] = pose
    edit(&json)
    return try loadWritten(json)
}

/// `json` written to a scratch folder as `pipeline.json` and read from there, with the shipped parts at hand.
func loadWritten(_ json: [String: Any]) throws -> PipelineDescription {
    let folder = Fixtures.scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("pipeline.json")
    try JSONSerialization.data(withJSONObject: json).write(to: file)
    return try PipelineLoader(folders: [Fixtures.root.appendingPathComponent("Pipelines")]).load(file.path)
}

/// A JSON value a test writes into a description (Sendable, unlike `Any`).
enum JSONValue: Sendable, CustomStringConvertible {
    case int(Int), number(Double), text(String), ints([Int]), texts([String]), absent

    var value: Any? {
        switch self {
        case .int(let v): v
        case .number(let v): v
        case .text(let v): v
        case .ints(let v): v
        case .texts(let v): v
        case .absent: nil
        }
    }

    var description: String { value.map { "\($0)" } ?? "absent" }
}

/// Sets the value at a dotted path of nested objects (`pose.codec.kernel`).
func set(_ json: inout [String: Any], _ path: String, _ value: Any?) {
    let keys = path.split(separator: ".").map(String.init)
    func apply(_ object: inout [String: Any], _ rest: ArraySlice<String>) {
        guard let key = rest.first else { return }
        if rest.count == 1 {
            object[key] = value
        } else {
            var inner = object[key] as? [String: Any] ?? [:]
            apply(&inner, rest.dropFirst())
            object[key] = inner
        }
    }
    apply(&json, keys[...])
}

/// The message of the `invalidPipeline` error `body` throws; nil (and a failed expectation) if it throws none.
func invalidPipelineMessage(_ body: () throws -> Any) -> String? {
    do {
        _ = try body()
        Issue.record("expected an invalid pipeline")
        return nil
    } catch PosePipeError.invalidPipeline(let message) {
        return message
    } catch {
        Issue.record("expected invalidPipeline, got \(error)")
        return nil
    }
}

@Suite struct PipelineDescriptionTests {
    @Test func theShippedBlazePoseDescriptionReadsAsItsParts() throws {
        let d = try PipelineDescription.load("blazepose")
        #expect(d.keypoints.name == "blazepose-33" && d.keypoints.count == 33)
        #expect(d.detector.name == "blazepose")
        #expect(d.pose?.codec.scheme == .mediapipe(layout: .nhwc, kernel: 7, minConfidence: 0.5, centre: .regression, logits: true))
        #expect(d.pose?.crop == .aligned(follow: [33, 34], angleDegrees: 90, scale: 1.25))
        #expect(d.pose?.input.normalization == .range(low: 0, high: 1))
        #expect(d.pose?.newPerson?.anchors == [11, 12, 23, 24])
        #expect(d.pose?.clearScore == 0.5)
    }

    @Test func keypointSetsPairLeftWithRight() throws {
        let loader = PipelineLoader()
        for name in ["coco-17", "mpii-16", "blazepose-33"] {
            let set = try loader.keypointSet(named: name)
            for (k, mirror) in set.flip.enumerated() {
                let a = set.keypoints[k], b = set.keypoints[mirror]
                if a.hasPrefix("left_") { #expect(b == "right_" + a.dropFirst(5), "\(name): \(a) ↔ \(b)") }
                if !a.contains("left") && !a.contains("right") { #expect(mirror == k, "\(name): \(a) stays") }
            }
        }
        #expect(try loader.keypointSet(named: "coco-17").flip == [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15])
        #expect(try loader.keypointSet(named: "mpii-16").flip == [5, 4, 3, 2, 1, 0, 6, 7, 8, 9, 15, 14, 13, 12, 11, 10])
    }

    /// Each bad field: the message names its JSON path and the reason.
    @Test(arguments: [
        ([("pose.codec.type", .text("megvii")), ("pose.codec.kernel", .int(4))], "pose.codec.kernel: must be odd"),
        ([("pose.codec.type", .text("dark")), ("pose.codec.kernel", .int(1))], "pose.codec.kernel: must be between 3 and 31"),
        ([("pose.codec.type", .text("heatmap-quarter-offset"))], "pose.codec.type: unknown type 'heatmap-quarter-offset'"),
        ([("detector.anchors.strides", .ints([0, 16, 32, 32, 32]))], "detector.anchors.strides: every stride must be between 1 and 512"),
        ([("detector.anchors.strides", .ints([]))], "detector.anchors.strides: must list num_layers (5) strides"),
        ([("detector.anchors.num_layers", .int(50))], "detector.anchors.num_layers: must be between 1 and 8"),
        ([("detector.anchors.input_width", .number(1e12))], "detector.anchors.input_width"),
        ([("detector.box_scale", .int(0))], "detector.box_scale: must be between 1 and 4096"),
        ([("detector.keypoints_per_box", .int(-3))], "detector.keypoints_per_box: must be between 0 and 16"),
        ([("detector.score_threshold", .int(-1))], "detector.score_threshold: must be between"),
        ([("pose.input.width", .int(-224))], "pose.input.width: must be between 1 and 4096"),
        ([("pose.input.width", .int(Int.max))], "pose.input.width: must be between 1 and 4096"),
        ([("pose.input.mean", .ints([1, 2])), ("pose.input.std", .ints([1, 1, 1]))], "pose.input.range: give either range, or mean and std, not both"),
        ([("pose.input.range", .absent), ("pose.input.std", .ints([1, 0, 1]))], "pose.input.mean: missing: std needs mean"),
        ([("pose.input.range", .absent), ("pose.input.mean", .ints([1, 2, 3])), ("pose.input.std", .ints([1, 0, 1]))], "pose.input.std: must be three positive numbers"),
        ([("pose.input.layout", .text("CHW"))], "pose.input.layout"),
        ([("pose.crop", .absent)], "pose.crop: missing"),
        ([("pose.crop.type", .text("square"))], "pose.crop.type: unknown type 'square' (one of: box, aligned)"),
        ([("pose.crop.follow", .ints([33, 33]))], "pose.crop.follow: must be two different point indices"),
        ([("pose.regression", .absent)], "pose.crop: aligned crops follow a person by the regression output's points"),
        ([("pose.clear_score", .int(2))], "pose.clear_score: must be between 0 and 1"),
        ([("pose.new_person.anchors", .texts(["left_shoulder", "left_wing"]))], "pose.new_person.anchors[1]: no keypoint 'left_wing' in blazepose-33"),
        ([("pose.new_person.min_clear", .int(9))], "pose.new_person.min_clear: must be between 1 and 4"),
        ([("keypoints", .text("coco-18"))], "keypoints: no keypoint set named 'coco-18'"),
        ([("detector", .text("yolo"))], "detector: no detector named 'yolo'"),
        ([("version", .int(3))], "version: is 3; this posepipe reads version 2"),
        ([("pose.flip_test.shift_heatmap", .text("yes"))], "pose.flip_test.shift_heatmap: must be true or false"),
        ([("pose.codec.type", .text("regression")), ("pose.codec.format", .text("xyz"))], "pose.codec.format: unknown format 'xyz'"),
        ([("pose.codec.kernal", .int(5))], "pose.codec.kernal: unknown field (known here: "),
        ([("detector.anchors.stride", .ints([8]))], "detector.anchors.stride: unknown field"),
        ([("pose.presence.treshold", .number(0.5))], "pose.presence.treshold: unknown field"),
        ([("landmarks", .text("old"))], "landmarks: unknown field"),
        ([("pose.crop.type", .text("box")), ("pose.regression", .absent)], "pose.codec: centre 'regression' refines around the regression output's points"),
        ([("pose.codec.type", .text("mediapipe")), ("pose.codec.centre", .text("peak"))], "pose.codec.centre"),
        ([("pose.codec.type", .text("mediapipe")), ("pose.codec.min_confidence", .int(2))], "pose.codec.min_confidence: must be between 0 and 1"),
    ] as [([(String, JSONValue)], String)])
    func badFieldsAreNamedByTheirPath(edits: [(String, JSONValue)], expected: String) {
        let message = invalidPipelineMessage {
            try describe { json in
                for (field, value) in edits { set(&json, field, value.value) }
            }
        }
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
        #expect(message?.contains("\n") == false)
    }

    @Test func aVersionOneDescriptionSaysHowToUpdate() throws {
        let old = """
            {"name": "old", "detector": {}, "landmarks": {}, "keypoints": ["a"], "skeleton": []}
            """
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pipeline.json")
        try Data(old.utf8).write(to: file)
        let message = invalidPipelineMessage { try PipelineLoader().load(file.path) }
        #expect(message?.contains("version: missing: this is a version-1 description") == true, "\(message ?? "")")
    }

    @Test func inlineKeypointSetsMustPairTheirFlips() {
        let message = invalidPipelineMessage {
            try describe { json in
                json["keypoints"] = ["name": "three", "keypoints": ["a", "left_b", "right_b"], "skeleton": [[0, 1]], "flip": [0, 2, 0]]
                set(&json, "pose.new_person", nil)
            }
        }
        #expect(message?.contains("keypoints.flip: must pair keypoints") == true, "\(message ?? "")")
    }

    /// `--flip-test` and `--no-flip-test` override what the description says, either way; without either the
    /// description decides (Stacked Hourglass ships with its flip test on, BlazePose without).
    @Test func theFlipTestFollowsTheDescriptionUnlessTheCommandLineSays() throws {
        let hourglass = try PipelineDescription.load("hourglass"), blazepose = try PipelineDescription.load("blazepose")
        #expect(hourglass.pose?.flipTest == PoseModelDescription.FlipTest(shiftHeatmap: true))
        #expect(blazepose.pose?.flipTest == nil)
        #expect(try PipelineOverrides().apply(to: hourglass).pose?.flipTest == hourglass.pose?.flipTest)
        #expect(try PipelineOverrides(flipTest: false).apply(to: hourglass).pose?.flipTest == nil)
        #expect(try PipelineOverrides(flipTest: true).apply(to: blazepose).pose?.flipTest == PoseModelDescription.FlipTest(shiftHeatmap: true))
        #expect(try PipelineOverrides(flipTest: false).apply(to: blazepose).pose?.flipTest == nil)
    }

    /// A regression codec's flip test mirrors the coordinates back (`--flip-test` runs it), so a description
    /// may turn it on as well.
    @Test func aRegressionPipelineMayShipWithItsFlipTestOn() throws {
        let shipped = Fixtures.root.appendingPathComponent("Pipelines/tfpose")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: shipped.appendingPathComponent("pipeline.json"))) as! [String: Any]
        set(&json, "pose.model", shipped.appendingPathComponent("tfpose.onnx").path)
        set(&json, "pose.flip_test", ["enabled": true, "shift_heatmap": true])
        let description = try loadWritten(json)
        #expect(description.pose?.flipTest == PoseModelDescription.FlipTest(shiftHeatmap: true))
    }

    @Test func notJSONIsOneLine() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("pipeline.json")
        try Data("{\"version\": 2,".utf8).write(to: file)
        let message = invalidPipelineMessage { try PipelineLoader().load(file.path) }
        #expect(message?.contains("not valid JSON") == true, "\(message ?? "")")
    }
}

/// Checks that need the model files: the description against the tensors the models declare.
@Suite struct PipelineModelCheckTests {
    @Test(arguments: [
        ("pose.codec.output", JSONValue.text("Identity_9"), "has no output 'Identity_9'"),
        ("pose.input.width", .int(300), "input.width: 300, but pose_landmark_full.onnx takes 256"),
        ("pose.input.layout", .text("NCHW"), "NCHW puts 256 channels where 3 belong"),
        ("pose.regression.values_per_keypoint", .int(7), "pose.regression.values_per_keypoint: 7 does not divide output 'Identity' (195 values)"),
        ("pose.crop.follow", .ints([33, 40]), "pose.crop.follow: point 40 is past the regression output's 39 points"),
        ("pose.codec.output", .text("Identity_1"), "pose.codec: pose_landmark_full.onnx's output 'Identity_1' has shape [1, 1]"),
        ("detector.keypoints_per_box", .int(5), "output 'Identity' has shape [1, 2254, 12] but the anchors and keypoints_per_box give [1, 2254, 14]"),
        ("detector.boxes_output", .text("boxes"), "has no output 'boxes'"),
    ] as [(String, JSONValue, String)])
    func descriptionsMustFitTheirModels(field: String, value: JSONValue, expected: String) throws {
        let description = try describe { set(&$0, field, value.value) }
        let factory = StageFactory(description)
        let message = invalidPipelineMessage {
            _ = try factory.makeDetector()
            return try factory.makeEstimator()
        }
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
    }

    @Test func theCLIExits78WithOneLine() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = Fixtures.root.appendingPathComponent("Pipelines/blazepose/pipeline.json")
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: shipped)) as! [String: Any]
        set(&json, "pose.codec.type", "megvii")
        set(&json, "pose.codec.kernel", 4)
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("pipeline.json"))
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", folder.appendingPathComponent("out.jsonl").path, "--pipeline", folder.path])
        #expect(outcome.status == 78)
        #expect(outcome.stderr.split(separator: "\n").count == 1)
        #expect(outcome.stderr.contains("pose.codec.kernel: must be odd"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out.jsonl").path))
    }
}
