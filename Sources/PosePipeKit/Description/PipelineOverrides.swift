import Foundation

/// What the command line changes in a pipeline description: the user's own pose model (`--model`), another
/// detector part (`--detector`) and the user's own detector file (`--detector-model`), another keypoint set
/// (`--keypoints`), the flip test on or off (nil: as the description says). Files are taken as given; whether
/// they exist is the caller's check.
///
/// A pipeline with `keypoint_choices` takes, when no set is given, the set whose count matches the user's
/// model: SimCC's and NCHW heatmaps' channels, YOLO-pose's (rows − 5) / 3.
public struct PipelineOverrides: Sendable {
    public var model: String?
    public var detector: String?
    public var detectorModel: String?
    public var keypoints: String?
    public var flipTest: Bool?

    public init(model: String? = nil, detector: String? = nil, detectorModel: String? = nil, keypoints: String? = nil, flipTest: Bool? = nil) {
        self.model = model
        self.detector = detector
        self.detectorModel = detectorModel
        self.keypoints = keypoints
        self.flipTest = flipTest
    }

    public func apply(to base: PipelineDescription, loader: PipelineLoader = PipelineLoader()) throws -> PipelineDescription {
        var description = base
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        if var part = description.detector.multiPose {
            // A multi-person model is the detector and the pose model at once.
            // MoveNet runs as shipped; YOLO-pose and RTMO pipelines take the user's export.
            let shipped = part.kind == .movenet
            let given = [shipped ? model.map { _ in "--model" } : nil, detector.map { _ in "--detector" },
                         detectorModel.map { _ in "--detector-model" }, flipTest == true ? "--flip-test" : nil]
            if let option = given.compactMap({ $0 }).first {
                throw PosePipeError.badUsage("\(option): pipeline \(description.name) finds people and keypoints in one model run; it takes no per-person "
                    + (shipped ? "pose model, detector or flip test" : "detector or flip test"))
            }
            if let model {
                part.model = ModelReference(file: model, folder: here)
                part.letterbox?.input.sizeFromModel = true
                description.detector = .multiPose(part)
            }
        } else {
            if let model {
                description.pose?.model = ModelReference(file: model, folder: here)
                description.pose?.input.sizeFromModel = true
            }
            if let detector { description.detector = try namedDetector(detector, loader: loader) }
            if let detectorModel { description.detector = try description.detector.using(ModelReference(file: detectorModel, folder: here)) }
            if flipTest == false { description.pose?.flipTest = nil }
            if flipTest == true, let pose = description.pose {
                if case .simcc = pose.codec.scheme {
                    throw PosePipeError.badUsage("--flip-test: pipeline \(description.name) decodes SimCC vectors, which posepipe does not flip-test (rtmlib runs no flip test)")
                }
                if pose.flipTest == nil { description.pose?.flipTest = pose.flipSettings }
            }
        }
        if let keypoints {
            do {
                description.keypoints = try loader.keypointSet(named: keypoints)
            } catch let error as DescriptionError {
                throw PosePipeError.badUsage("--keypoints: \(error.reason)")
            }
        } else if !description.keypointChoices.isEmpty, let count = try modelKeypointCount(description), count != description.keypoints.count {
            guard let name = description.keypointChoices.first(where: { (try? loader.keypointSet(named: $0))?.count == count }) else {
                throw PosePipeError.badUsage("--model: the model gives \(count) keypoints, and none of \(description.keypointChoices.joined(separator: ", ")) has as many; name a keypoint set with --keypoints")
            }
            description.keypoints = try loader.keypointSet(named: name)
        }
        return description
    }

    private func namedDetector(_ name: String, loader: PipelineLoader) throws -> DetectorDescription {
        do {
            let found = try loader.detector(named: name)
            guard found.multiPose == nil else {
                throw DescriptionError(path: "", reason: "'\(name)' finds keypoints too; run it as a pipeline of its own")
            }
            return found
        } catch let error as DescriptionError {
            throw PosePipeError.badUsage("--detector: \(error.reason); choose one of \(loader.detectorNames().joined(separator: ", "))")
        }
    }

    /// The keypoint count the user's model declares, when `--model` gave one and its output says it.
    private func modelKeypointCount(_ description: PipelineDescription) throws -> Int? {
        guard model != nil else { return nil }
        if let part = description.detector.multiPose, part.kind == .yoloPose, let path = part.model?.path {
            let outputs = try ONNXModel(path: path).outputs
            guard let output = part.output.flatMap({ name in outputs.first { $0.name == name } }) ?? outputs.first,
                  output.shape.count == 3, output.shape[1] > 5, (output.shape[1] - 5) % 3 == 0 else { return nil }
            return (output.shape[1] - 5) / 3
        }
        guard let pose = description.pose, let path = pose.model?.path else { return nil }
        let outputs = try ONNXModel(path: path).outputs
        guard let output = pose.codec.output.flatMap({ name in outputs.first { $0.name == name } }) ?? outputs.last else { return nil }
        switch pose.codec.scheme {
        case .simcc, .regression: return output.shape.count == 3 && output.shape[1] > 0 ? output.shape[1] : nil
        default:
            guard output.shape.count == 4 else { return nil }
            let channels = pose.codec.scheme.heatmapLayout == .nhwc ? output.shape[3] : output.shape[1]
            return channels > 0 ? channels : nil
        }
    }
}

extension DetectorDescription {
    /// The same part running `model` instead of its own file (`--detector-model`), with the input size the
    /// file fixes.
    func using(_ model: ModelReference) throws -> DetectorDescription {
        switch self {
        case .blazepose(var part):
            part.model = model
            part.input.sizeFromModel = true
            return .blazepose(part)
        case .box(var part):
            part.model = model
            part.input.sizeFromModel = true
            return .box(part)
        case .letterbox(var part):
            part.model = model
            part.input.sizeFromModel = true
            return .letterbox(part)
        case .wholeFrame, .multiPose:
            throw PosePipeError.badUsage("--detector-model: detector \(name) runs no detector model; choose one with --detector (yolox, rtmdet, efficientdet-lite0, blazepose)")
        }
    }
}
