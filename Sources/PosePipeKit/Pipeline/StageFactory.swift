import Foundation

/// Builds the stages a pipeline description names, checking the description against the model
/// files' declared tensors so that a mismatch is one clear line before any frame is read.
public struct StageFactory: Sendable {
    public let description: PipelineDescription

    public init(_ description: PipelineDescription) {
        self.description = description
    }

    /// Whether people are followed from frame to frame by their own poses. With the whole-frame
    /// detector the frame is the crop on every frame, as MMPose's `inference_topdown` without
    /// boxes has it, and detecting it costs nothing.
    public var followsPeople: Bool { description.detector != .wholeFrame && description.detector.multiPose == nil }

    /// A detector session for one thread.
    public func makeDetector() throws -> any PersonDetecting {
        do {
            switch description.detector {
            case .blazepose(let part): return try BlazePoseDetector(part)
            case .box(let part): return try BoxDetector(part)
            case .letterbox(let part): return try LetterboxDetector(part)
            case .wholeFrame: return WholeFrameDetector()
            case .multiPose(let part): throw PosePipeError.invalidPipeline("type: \(part.kind.rawValue) finds people with their keypoints; it is no box detector")
            }
        } catch PosePipeError.invalidPipeline(let message) {
            throw PosePipeError.invalidPipeline("\(description.name): detector.\(message)")
        }
    }

    /// A multi-person pose session for one thread, when the detector is a multi-person model.
    public func makeMultiPose() throws -> any MultiPoseEstimating {
        guard let part = description.detector.multiPose else {
            throw PosePipeError.invalidPipeline("\(description.name): detector: \(description.detector.name) is no multi-person model")
        }
        do {
            if part.kind != .movenet { return try LetterboxPoseEstimator(part, keypointCount: description.keypoints.count) }
            return try MoveNetEstimator(part, keypointCount: description.keypoints.count)
        } catch PosePipeError.invalidPipeline(let message) {
            throw PosePipeError.invalidPipeline("\(description.name): detector.\(message)")
        }
    }

    /// A pose estimator session for one thread.
    public func makeEstimator() throws -> PoseEstimator {
        guard let pose = description.pose else {
            throw PosePipeError.invalidPipeline("\(description.name): pose: missing (only a movenet detector finds keypoints without one)")
        }
        guard let file = pose.model else {
            throw PosePipeError.badUsage("pipeline \(description.name) ships no model: give your export with --model FILE.onnx")
        }
        // Outputs in run order: the codec's, then the presence and regression heads when described.
        let presenceIndex = pose.presence == nil ? nil : 1
        let regressionIndex = pose.regression == nil ? nil : 1 + (presenceIndex == nil ? 0 : 1)
        var names = [pose.codec.output] + [pose.presence?.output, pose.regression?.output].compactMap { $0 }
        // SimCC's y vectors come last, after every output the other parts index.
        if case .simcc(let yOutput, _) = pose.codec.scheme { names.append(yOutput) }
        let model: ImageModel
        do {
            model = try ImageModel(path: file.path, input: pose.input, outputs: names)
        } catch PosePipeError.invalidPipeline(let message) {
            throw PosePipeError.invalidPipeline("\(description.name): pose.\(message)")
        }
        let input = model.input
        let decoder = PoseDecoder(
            reader: try reader(for: model.outputs, scheme: pose.codec.scheme, file: URL(fileURLWithPath: file.path).lastPathComponent,
                           inputWidth: input.width, inputHeight: input.height),
            keypointCount: description.keypoints.count, inputWidth: input.width, inputHeight: input.height,
            cropRule: cropRule(pose, inputWidth: input.width, inputHeight: input.height), clearScore: pose.clearScore,
            presence: try both(pose.presence, presenceIndex).map { try presenceReading($0, output: model.outputs[$1], index: $1) },
            regression: try both(pose.regression, regressionIndex).map {
                try regressionReading($0, crop: pose.crop, output: model.outputs[$1], index: $1)
            },
            flip: pose.flipTest.map { test in
                let channels = pose.codec.scheme.readsHeatmaps ? heatmapChannels(model.outputs[0], scheme: pose.codec.scheme) : description.keypoints.count
                return PoseDecoder.FlipTest(indices: flipIndices(channels: channels), shift: test.shiftHeatmap)
            })
        return PoseEstimator(model: model, decoder: decoder)
    }

    private func presenceReading(_ presence: PoseModelDescription.Presence, output: ONNXModel.Output, index: Int) throws
        -> PoseDecoder.PresenceOutput
    {
        guard output.count >= 1 else { throw invalid("pose.presence.output: '\(output.name)' is empty") }
        return PoseDecoder.PresenceOutput(output: index, threshold: presence.threshold, logits: presence.logits)
    }

    private func regressionReading(_ regression: PoseModelDescription.Regression, crop: CropDescription, output: ONNXModel.Output,
                                   index: Int) throws
        -> PoseDecoder.RegressionOutput
    {
        let stride = regression.valuesPerKeypoint
        guard output.count % stride == 0 else {
            throw invalid("pose.regression.values_per_keypoint: \(stride) does not divide output '\(output.name)' (\(output.count) values)")
        }
        if case .aligned(let follow, _, _) = crop, let beyond = follow.first(where: { $0 >= output.count / stride }) {
            throw invalid("pose.crop.follow: point \(beyond) is past the regression output's \(output.count / stride) points")
        }
        return PoseDecoder.RegressionOutput(output: index, valuesPerKeypoint: stride, hiddenPositions: regression.hiddenPositions)
    }

    /// The crop rule of `pose` for its model taking `inputWidth` × `inputHeight`.
    private func cropRule(_ pose: PoseModelDescription, inputWidth: Int, inputHeight: Int) -> any CropRule {
        switch pose.crop {
        case .box(let padding, let udp):
            BoxCropRule(padding: padding, udp: udp, inputWidth: inputWidth, inputHeight: inputHeight,
                        clearScore: pose.clearScore)
        case .aligned(let follow, let angle, let scale):
            AlignedCropRule(follow: follow, targetAngleDegrees: angle, scale: scale)
        }
    }

    private func reader(for outputs: [ONNXModel.Output], scheme: CodecDescription.Scheme, file: String, inputWidth: Int, inputHeight: Int) throws
        -> PoseDecoder.Reader
    {
        let output = outputs[0]
        let k = description.keypoints.count
        let shape = output.shape
        func need(_ ok: Bool, _ expected: String) throws {
            guard ok else {
                throw invalid("pose.codec: \(file)'s output '\(output.name)' has shape \(shape); the codec needs \(expected) with \(k) keypoints (\(description.keypoints.name))")
            }
        }
        switch scheme {
        case .msra(let layout, _, _), .newell(let layout), .megvii(let layout, _), .dark(let layout, _, _), .udp(let layout, _),
             .mediapipe(let layout, _, _, _, _):
            try need(shape.count == 4 && heatmapChannels(output, scheme: scheme) >= k && shape.dropFirst().allSatisfy { $0 >= 3 },
                     layout == .nchw ? "[1, K, H, W]" : "[1, H, W, K]")
            return .heatmaps(heatmapCodec(scheme), layout: layout, shape: shape)
        case .regression(let format, let units, let logits):
            switch format {
            case .xy: try need(shape.count == 3 && shape[1] >= k && shape[2] == 2, "[1, K, 2]")
            case .xyScore: try need(shape.count == 3 && shape[1] >= k && shape[2] == 3, "[1, K, 3]")
            case .rle: try need(shape.count == 3 && shape[1] >= k && shape[2] == 4, "[1, K, 4]")
            case .flat(let values, _): try need(output.count >= k * values, "at least K × \(values) values")
            }
            return .coordinates(CoordinateRegressionCodec(layout: format, units: units, logits: logits))
        case .simcc(_, let codec):
            do {
                return try codec.reader(x: output, y: outputs[outputs.count - 1], yIndex: outputs.count - 1, keypoints: description.keypoints,
                                        inputWidth: inputWidth, inputHeight: inputHeight)
            } catch let problem as SimCCCodec.ShapeProblem {
                throw invalid("pose.codec: \(file): \(problem.reason)")
            }
        }
    }

    private func heatmapCodec(_ scheme: CodecDescription.Scheme) -> any HeatmapCodec {
        switch scheme {
        case .msra(_, let rule, let logits): MSRAHeatmapCodec(guard: rule, logits: logits)
        case .newell: NewellHeatmapCodec()
        case .megvii(_, let kernel): MegviiHeatmapCodec(kernelSize: kernel)
        case .dark(_, let kernel, let logits):
            logits ? SigmoidHeatmapCodec(DARKHeatmapCodec(kernelSize: kernel)) as any HeatmapCodec : DARKHeatmapCodec(kernelSize: kernel)
        case .udp(_, let kernel): UDPHeatmapCodec(kernelSize: kernel)
        case .mediapipe(_, let kernel, let minConfidence, let centre, let logits):
            MediaPipeHeatmapCodec(kernelSize: kernel, minConfidence: Float(minConfidence), centre: centre, logits: logits)
        case .regression, .simcc: preconditionFailure("regression and SimCC schemes read coordinates, not heatmaps")
        }
    }

    private func heatmapChannels(_ output: ONNXModel.Output, scheme: CodecDescription.Scheme) -> Int {
        guard output.shape.count == 4, let layout = scheme.heatmapLayout else { return 0 }
        return layout == .nchw ? output.shape[1] : output.shape[3]
    }

    /// The keypoint set's flip pairs over all `channels` (extra channels stay in place).
    private func flipIndices(channels: Int) -> [Int] {
        (0..<channels).map { $0 < description.keypoints.count ? description.keypoints.flip[$0] : $0 }
    }

    private func invalid(_ message: String) -> PosePipeError {
        .invalidPipeline("\(description.name): \(message)")
    }
}

extension CodecDescription.Scheme {
    /// The heatmap layout, nil for regressed coordinates.
    var heatmapLayout: TensorLayout? {
        switch self {
        case .msra(let layout, _, _), .newell(let layout), .megvii(let layout, _), .dark(let layout, _, _), .udp(let layout, _),
             .mediapipe(let layout, _, _, _, _): layout
        case .regression, .simcc: nil
        }
    }
}

/// Both values when both are there.
private func both<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
