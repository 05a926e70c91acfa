import Foundation

/// MoveNet MultiPose: one run over the whole frame finds up to its row count of people with
/// their keypoints. One ONNX Runtime session; one thread at a time.
///
/// The frame is scaled so its longer side fills the input, centred and padded with black to
/// sides that are multiples of the model's stride (`MultiPoseDescription.region`), sampled
/// bilinearly and rounded to the uint8 values the model takes; its normalised outputs map back
/// through the same region.
public final class MoveNetEstimator: MultiPoseEstimating {
    /// The session, its input uint8 [1, H, W, 3] with H and W set per frame.
    public let model: ONNXModel
    public let description: MultiPoseDescription
    /// Reads the rows of the output.
    public let decoder: MoveNetDecoder
    private let inputName: String
    private let output: ONNXModel.Output

    /// Opens the model and checks its tensors against `description` and a keypoint set of
    /// `keypointCount`; a mismatch is `PosePipeError.invalidPipeline` naming the field.
    public init(_ description: MultiPoseDescription, keypointCount: Int, threads: Int = 1) throws {
        self.description = description
        guard let path = description.model?.path else { throw PosePipeError.badUsage("\(description.name) ships no model: give yours with --model FILE.onnx") }
        let model = try ONNXModel(path: path, threads: threads)
        self.model = model
        let file = URL(fileURLWithPath: path).lastPathComponent
        func named(_ list: [ONNXModel.TensorInfo], _ name: String?, _ key: String) throws -> ONNXModel.TensorInfo {
            let names = list.map(\.name).joined(separator: ", ")
            if let name {
                guard let found = list.first(where: { $0.name == name }) else {
                    throw PosePipeError.invalidPipeline("\(key): \(file) has no \(key == "output" ? "output" : "input") '\(name)' (it has \(names))")
                }
                return found
            }
            guard list.count == 1, let only = list.first else {
                throw PosePipeError.invalidPipeline("\(key): \(file) has \(list.count) of them; name one (\(names))")
            }
            return only
        }
        let input = try named(model.inputs, description.inputName, "input.name")
        guard input.isUInt8, input.shape.count == 4, input.shape[3] == 3, input.shape[0] == 1 || input.shape[0] < 0,
              input.shape[1] < 0, input.shape[2] < 0 else {
            throw PosePipeError.invalidPipeline(
                "input: \(file)'s input '\(input.name)' is \(input.isUInt8 ? "uint8" : "ONNX type \(input.elementType)") \(input.shape); movenet needs uint8 [1, H, W, 3] with H and W free")
        }
        inputName = input.name
        let found = try named(model.outputs, description.output, "output")
        decoder = MoveNetDecoder(keypointCount: keypointCount, scoreThreshold: description.scoreThreshold)
        guard found.isFloat, found.shape.count == 3, found.shape[0] == 1, found.shape[1] > 0, found.shape[2] == decoder.valuesPerPerson else {
            throw PosePipeError.invalidPipeline(
                "output: \(file)'s output '\(found.name)' is \(found.shape); movenet needs float [1, people, \(decoder.valuesPerPerson)] for \(keypointCount) keypoints (3 × \(keypointCount) + 5)")
        }
        output = ONNXModel.Output(name: found.name, shape: found.shape)
    }

    public func people(in frame: VideoFrame) throws -> [PersonObservation] {
        let size = description.inputSize(width: frame.displayWidth, height: frame.displayHeight)
        let region = description.region(width: frame.displayWidth, height: frame.displayHeight)
        let values = try tensor(for: frame).withUnsafeBufferPointer {
            try model.run(input: inputName, $0, shape: [1, size.height, size.width, 3], outputs: [output])
        }
        return decoder.decode(values[0], toFrame: region.cropToFrame(cropWidth: 1, cropHeight: 1))
    }

    /// The model's input for `frame`: RGB, NHWC, 0–255 rounded to the nearest integer.
    public func tensor(for frame: VideoFrame) -> [UInt8] {
        let size = description.inputSize(width: frame.displayWidth, height: frame.displayHeight)
        let normalizer = CropNormalizer(input: ModelInput(name: inputName, layout: .nhwc, width: size.width, height: size.height,
                                                          normalization: .range(low: 0, high: 255)))
        return normalizer.tensor(from: frame, crop: description.region(width: frame.displayWidth, height: frame.displayHeight))
            .map { UInt8(min(max($0.rounded(), 0), 255)) }
    }
}
