import Foundation

/// The normalise-and-run step every model stage shares: one ONNX Runtime session with the
/// input it takes, cutting a crop from a frame into that input and returning the named outputs.
///
/// Sizes the description leaves out are read from the model file, and everything the
/// description says is checked against the model's declared tensors before anything runs.
public final class ImageModel: Sendable {
    public let model: ONNXModel
    public let normalizer: CropNormalizer
    /// The outputs every run returns, in this order, with their per-picture shapes.
    public let outputs: [ONNXModel.Output]
    /// Each output name once, and where each of `outputs` is among them: ONNX Runtime writes one buffer
    /// per name, so a name asked for twice (a regression codec and the regression part reading the same
    /// output) would leave the second buffer unwritten.
    private let distinct: [ONNXModel.Output]
    private let slots: [Int]

    /// Opens `path` for `input`, returning `outputs` (nil entries: the model's last output).
    public init(path: String, input: InputDescription, outputs names: [String?], threads: Int = 1) throws {
        let model = try ONNXModel(path: path, threads: threads)
        self.model = model
        let file = URL(fileURLWithPath: path).lastPathComponent
        let declared: ONNXModel.TensorInfo
        if let name = input.name {
            guard let found = model.input(named: name) else {
                throw PosePipeError.invalidPipeline("input.name: \(file) has no input '\(name)' (it has \(model.inputs.map(\.name).joined(separator: ", ")))")
            }
            declared = found
        } else {
            guard model.inputs.count == 1, let only = model.inputs.first else {
                throw PosePipeError.invalidPipeline("input.name: \(file) has \(model.inputs.count) inputs; name one (\(model.inputs.map(\.name).joined(separator: ", ")))")
            }
            declared = only
        }
        normalizer = CropNormalizer(input: try Self.resolve(input, declared: declared, file: file))
        outputs = try names.map { name in
            guard let info = name.map({ model.output(named: $0) }) ?? model.outputs.last else {
                throw PosePipeError.invalidPipeline("output: \(file) has no output '\(name ?? "")' (it has \(model.outputs.map(\.name).joined(separator: ", ")))")
            }
            guard info.isFloat else {
                throw PosePipeError.invalidPipeline("output: \(file)'s output '\(info.name)' is not float32")
            }
            // The first dimension is the batch; every other one must be fixed.
            let shape = info.shape.enumerated().map { $0.offset == 0 && $0.element < 0 ? 1 : $0.element }
            guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }), shape[0] == 1 || info.shape[0] < 0 else {
                throw PosePipeError.invalidPipeline("output: \(file)'s output '\(info.name)' has shape \(info.shape); posepipe needs fixed sizes after the batch")
            }
            return ONNXModel.Output(name: info.name, shape: shape)
        }
        var distinct: [ONNXModel.Output] = []
        slots = outputs.map { output in
            if let index = distinct.firstIndex(where: { $0.name == output.name }) { return index }
            distinct.append(output)
            return distinct.count - 1
        }
        self.distinct = distinct
    }

    public var input: ModelInput { normalizer.input }

    /// Runs the model on `crop` of `frame` (mirrored for a flip test) and returns every output.
    public func run(_ frame: VideoFrame, crop: RotatedRect, mirrored: Bool = false) throws -> [[Float]] {
        let tensor = normalizer.tensor(from: frame, crop: crop, mirrored: mirrored)
        let values = try tensor.withUnsafeBufferPointer {
            try model.run(input: input.name, $0, shape: input.shape(), outputs: distinct)
        }
        return slots.map { values[$0] }
    }

    private static func resolve(_ input: InputDescription, declared: ONNXModel.TensorInfo, file: String) throws -> ModelInput {
        guard declared.isFloat else {
            throw PosePipeError.invalidPipeline("input: \(file)'s input '\(declared.name)' is not float32 (ONNX type \(declared.elementType))")
        }
        let shape = declared.shape
        guard shape.count == 4 else {
            throw PosePipeError.invalidPipeline("input: \(file)'s input '\(declared.name)' has shape \(shape), not a picture [N, …]")
        }
        let (channelAxis, heightAxis, widthAxis) = input.layout == .nchw ? (1, 2, 3) : (3, 1, 2)
        guard shape[channelAxis] == 3 || shape[channelAxis] < 0 else {
            throw PosePipeError.invalidPipeline("input.layout: \(file)'s input has shape \(shape): \(input.layout.rawValue) puts \(shape[channelAxis]) channels where 3 belong")
        }
        func size(_ given: Int?, _ axis: Int, _ key: String) throws -> Int {
            let fixed = shape[axis] > 0 ? shape[axis] : nil
            switch (given, fixed) {
            case (_, let fixed?) where input.sizeFromModel:
                return fixed
            case (let given?, let fixed?) where given != fixed:
                throw PosePipeError.invalidPipeline("input.\(key): \(given), but \(file) takes \(fixed)")
            case (let given?, _): return given
            case (nil, let fixed?): return fixed
            case (nil, nil): throw PosePipeError.invalidPipeline("input.\(key): missing, and \(file) leaves it free")
            }
        }
        let width = try size(input.width, widthAxis, "width"), height = try size(input.height, heightAxis, "height")
        guard (1...4096).contains(width), (1...4096).contains(height) else {
            throw PosePipeError.invalidPipeline("input: \(file) takes \(width)×\(height), outside 1…4096")
        }
        return ModelInput(name: declared.name, layout: input.layout, width: width, height: height,
                          channels: input.channels, normalization: input.normalization, pad: input.pad)
    }
}
