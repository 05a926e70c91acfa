import Foundation

/// YOLO-pose or RTMO: one run over the letterboxed frame finds every person with their keypoints
/// (`LetterboxPoseDecoder`). One ONNX Runtime session; one thread at a time.
///
/// YOLO-pose takes the frame as Ultralytics' `LetterBox` makes it: resized to round(w·r) × round(h·r),
/// r = min(H / h, W / w), centred with round(pad − 0.1) on the top and left, grey 114 around, RGB in [0, 1].
/// RTMO takes it as rtmlib does: int(w·r) × int(h·r) at the top-left corner, 114 around, BGR 0–255.
public final class LetterboxPoseEstimator: MultiPoseEstimating {
    private let model: ImageModel
    private let letterbox: MultiPoseDescription.Letterbox
    private let decoder: LetterboxPoseDecoder
    private let outputs: [String]

    public init(_ description: MultiPoseDescription, keypointCount: Int, threads: Int = 1) throws {
        guard let letterbox = description.letterbox else { throw PosePipeError.invalidPipeline("type: \(description.kind.rawValue) needs an input part") }
        guard let path = description.model?.path else {
            throw PosePipeError.badUsage("pipeline's \(description.kind.rawValue) model is yours to give: --model FILE.onnx")
        }
        self.letterbox = letterbox
        model = try ImageModel(path: path, input: letterbox.input, outputs: [], threads: threads)
        let file = URL(fileURLWithPath: path).lastPathComponent
        decoder = LetterboxPoseDecoder(kind: description.kind, keypointCount: keypointCount, scoreThreshold: description.scoreThreshold,
                                       nmsIouThreshold: letterbox.nmsIouThreshold)
        let available = model.model.outputs
        func named(_ name: String?, _ key: String) throws -> ONNXModel.TensorInfo {
            if let name {
                guard let found = available.first(where: { $0.name == name }) else {
                    throw PosePipeError.invalidPipeline("\(key): \(file) has no output '\(name)' (it has \(available.map(\.name).joined(separator: ", ")))")
                }
                return found
            }
            guard let first = available.first else { throw PosePipeError.invalidPipeline("\(key): \(file) has no outputs") }
            return first
        }
        let main = try named(description.output, "output")
        switch description.kind {
        case .yoloPose:
            let rows = 5 + 3 * keypointCount
            guard main.isFloat, main.shape.count == 3, main.shape[1] == rows, main.shape[2] > 0 else {
                throw PosePipeError.invalidPipeline(
                    "output: \(file)'s output '\(main.name)' is \(main.shape); yolo-pose needs float [1, \(rows), anchors] for \(keypointCount) keypoints (5 + 3 × \(keypointCount))")
            }
            outputs = [main.name]
        case .rtmo:
            let points = try named(letterbox.keypointsOutput, "keypoints_output")
            guard main.shape.count == 3, main.shape[2] == 5, points.shape.count == 4, points.shape[2] == keypointCount, points.shape[3] == 3 else {
                throw PosePipeError.invalidPipeline(
                    "output: \(file)'s outputs '\(main.name)' \(main.shape) and '\(points.name)' \(points.shape) are not rtmo's boxes [1, N, 5] and keypoints [1, N, \(keypointCount), 3]")
            }
            outputs = [main.name, points.name]
        case .movenet:
            throw PosePipeError.invalidPipeline("type: movenet takes no letterbox")
        }
    }

    /// The part of a `width` × `height` frame the input shows, and the letterbox ratio r.
    public func region(width: Int, height: Int) -> (region: RotatedRect, ratio: Double) {
        let inputWidth = Double(model.input.width), inputHeight = Double(model.input.height)
        let r = min(inputHeight / Double(height), inputWidth / Double(width))
        // The resized frame's size, and where its top-left corner lands in the input.
        let resized: (Int, Int), corner: (Double, Double)
        if letterbox.centred {
            resized = (Int((Double(width) * r).rounded(.toNearestOrEven)), Int((Double(height) * r).rounded(.toNearestOrEven)))
            corner = (((inputWidth - Double(resized.0)) / 2 - 0.1).rounded(.toNearestOrEven),
                      ((inputHeight - Double(resized.1)) / 2 - 0.1).rounded(.toNearestOrEven))
        } else {
            resized = (Int(Double(width) * r), Int(Double(height) * r))
            corner = (0, 0)
        }
        let sx = Double(width) / Double(max(resized.0, 1)), sy = Double(height) / Double(max(resized.1, 1))
        return (RotatedRect(center: Point2(x: (inputWidth / 2 - corner.0) * sx, y: (inputHeight / 2 - corner.1) * sy),
                            width: inputWidth * sx, height: inputHeight * sy), r)
    }

    /// The model's input for `frame`, as the model's own tool letterboxes it.
    public func tensor(for frame: VideoFrame) -> [Float] {
        model.normalizer.tensor(from: frame, crop: region(width: frame.displayWidth, height: frame.displayHeight).region)
    }

    public func people(in frame: VideoFrame) throws -> [PersonObservation] {
        let width = frame.displayWidth, height = frame.displayHeight
        let r = region(width: width, height: height).ratio
        let results = try tensor(for: frame).withUnsafeBufferPointer {
            try model.model.runSized(input: model.input.name, $0, shape: model.input.shape(), outputs: outputs)
        }
        switch decoder.kind {
        case .yoloPose:
            // Ultralytics maps back with its own pad rule: round((W − w·gain) / 2 − 0.1).
            let inputWidth = Double(model.input.width), inputHeight = Double(model.input.height)
            let placement = LetterboxPoseDecoder.Placement(
                gain: r, padX: ((inputWidth - Double(width) * r) / 2 - 0.1).rounded(.toNearestOrEven),
                padY: ((inputHeight - Double(height) * r) / 2 - 0.1).rounded(.toNearestOrEven), frameWidth: width, frameHeight: height)
            return decoder.yoloPose(results[0].values, anchors: results[0].shape.last ?? 0, placement: placement)
        case .rtmo:
            return decoder.rtmo(boxes: results[0].values, keypoints: results[1].values, ratio: r)
        case .movenet:
            return []
        }
    }
}
