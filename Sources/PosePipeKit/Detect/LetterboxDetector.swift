import Foundation

/// YOLOX or RTMDet as rtmlib 0.0.16 runs them (`LetterboxDetectorDescription`); boxes decoded by
/// `LetterboxBoxDecoder`.
///
/// rtmlib resizes the frame to int(w·r) × int(h·r) with r = min(H / h, W / w) and maps boxes back by ÷ r; the
/// input here samples the frame at exactly that resized size. rtmlib's box numbers then go into RTMPose's
/// crop, whose pixel centres lie on integers; posepipe's pixel centres are at +0.5, so each box is moved half
/// a pixel right and down, which makes the crop and the keypoints rtmlib's (+0.5) to the float32 rounding.
public final class LetterboxDetector: PersonDetecting {
    private let model: ImageModel
    private let output: String
    private let decoder: LetterboxBoxDecoder
    private let suppression: NonMaxSuppression

    public init(_ description: LetterboxDetectorDescription, threads: Int = 1) throws {
        guard let file = description.model else {
            throw PosePipeError.badUsage("detector \(description.name) ships no model: give your \(description.kind.rawValue) export with --detector-model FILE.onnx")
        }
        model = try ImageModel(path: file.path, input: description.input, outputs: [], threads: threads)
        let name = URL(fileURLWithPath: file.path).lastPathComponent
        let declared: ONNXModel.TensorInfo
        if let wanted = description.output {
            guard let found = model.model.output(named: wanted) else {
                throw PosePipeError.invalidPipeline("output: \(name) has no output '\(wanted)' (it has \(model.model.outputs.map(\.name).joined(separator: ", ")))")
            }
            declared = found
        } else {
            guard let first = model.model.outputs.first else { throw PosePipeError.invalidPipeline("output: \(name) has no outputs") }
            declared = first
        }
        output = declared.name
        decoder = LetterboxBoxDecoder(inputWidth: model.input.width, inputHeight: model.input.height, strides: description.strides,
                                      scoreThreshold: description.scoreThreshold, endToEndThreshold: description.endToEndThreshold,
                                      nmsIouThreshold: description.nmsIouThreshold, personClass: description.personClass)
        guard declared.isFloat, decoder.format(of: declared.shape) != nil else {
            throw PosePipeError.invalidPipeline(
                "output: \(name)'s output '\(declared.name)' is \(declared.shape); \(description.kind.rawValue) needs float dets [1, N, 5] or a raw grid [1, \(decoder.cellCount), 5 + classes]")
        }
        suppression = NonMaxSuppression(iouThreshold: description.nmsIouThreshold, mode: .greedy)
    }

    /// rtmlib's letterbox ratio for a `width` × `height` frame.
    public func ratio(width: Int, height: Int) -> Double {
        min(Double(model.input.height) / Double(height), Double(model.input.width) / Double(width))
    }

    /// The part of the frame the input shows: the frame resized to int(w·r) × int(h·r) at the top-left corner.
    public func region(width: Int, height: Int) -> RotatedRect {
        let r = ratio(width: width, height: height)
        let sx = Double(width) / Double(max(1, Int(Double(width) * r))), sy = Double(height) / Double(max(1, Int(Double(height) * r)))
        let w = Double(model.input.width) * sx, h = Double(model.input.height) * sy
        return RotatedRect(center: Point2(x: w / 2, y: h / 2), width: w, height: h)
    }

    public func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
        let width = frame.displayWidth, height = frame.displayHeight
        var found = search.wholeFrame ? try run(frame, region: region(width: width, height: height), ratio: ratio(width: width, height: height)) : []
        for tile in search.tiles {
            // A tile fills the input: its boxes are input pixels, mapped through the tile.
            found += try run(frame, region: tile, ratio: 1).map { $0.mapped(by: model.normalizer.tensorToFrame(tile)) }
        }
        let halfPixel = AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 0.5, ty: 0.5)
        return (search.tiles.isEmpty ? found : suppression.apply(found)).map { $0.mapped(by: halfPixel) }
    }

    private func run(_ frame: VideoFrame, region: RotatedRect, ratio: Double) throws -> [Detection] {
        let tensor = model.normalizer.tensor(from: frame, crop: region)
        let result = try tensor.withUnsafeBufferPointer {
            try model.model.runSized(input: model.input.name, $0, shape: model.input.shape(), outputs: [output])
        }
        return decoder.decode(result[0].values, shape: result[0].shape, ratio: ratio).map { b in
            Detection(box: Box(x: Double(b.x1), y: Double(b.y1), width: Double(b.x2) - Double(b.x1), height: Double(b.y2) - Double(b.y1)),
                      score: min(max(Double(b.score), 0), 1))
        }
    }
}
