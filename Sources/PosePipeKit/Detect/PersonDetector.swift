/// Person crop stage: finds every person in a frame and returns one rotated square crop each.
///
/// The whole frame is letterboxed into the detector's square input (a region centred on the
/// frame, as wide as its longer side), so detections map back through that same region.
public final class PersonDetector: Sendable {
    private let model: ONNXModel
    private let normalizer: CropNormalizer
    private let decoder: DetectionDecoder
    private let suppression: NonMaxSuppression
    private let roi: AlignmentROI
    private let outputs: [ONNXModel.Output]

    public init(_ description: PipelineDescription.DetectorDescription, modelPath: String, threads: Int = 1) throws {
        model = try ONNXModel(path: modelPath, threads: threads)
        normalizer = CropNormalizer(spec: description.input)
        let anchors = SSDAnchors.generate(description.anchors)
        decoder = DetectionDecoder(anchors: anchors, boxScale: description.boxScale,
                                   keypointCount: description.keypointsPerBox, scoreThreshold: description.scoreThreshold)
        suppression = NonMaxSuppression(iouThreshold: description.nmsIouThreshold)
        roi = description.roi
        outputs = [
            ONNXModel.Output(name: description.boxesOutput, shape: [1, anchors.count, decoder.valuesPerBox]),
            ONNXModel.Output(name: description.scoresOutput, shape: [1, anchors.count, 1]),
        ]
    }

    /// People found in `regions` of `frame` (the whole frame by default), best first, in
    /// displayed frame pixels; hits on one person from overlapping regions merge into one.
    public func detect(in frame: VideoFrame, regions: [RotatedRect]? = nil) throws -> [Detection] {
        let spec = normalizer.spec
        let inputPixels = AffineTransform(a: Double(spec.width), b: 0, c: 0, d: Double(spec.height), tx: 0, ty: 0)
        var found: [Detection] = []
        for region in regions ?? [Self.letterbox(width: frame.displayWidth, height: frame.displayHeight)] {
            let input = normalizer.tensor(from: frame, region: region)
            let results = try input.withUnsafeBufferPointer {
                try model.run(input: spec.name, $0, shape: [1, spec.height, spec.width, 3], outputs: outputs)
            }
            // Decoded coordinates are normalised to the input square; scale to its pixels, then to the frame.
            let toFrame = normalizer.tensorToFrame(region).after(inputPixels)
            found += decoder.decode(boxes: results[0], scores: results[1]).map { $0.mapped(by: toFrame) }
        }
        return suppression.apply(found)
    }

    /// The crops of the people that detection number `k` finds in `frame`, searching the
    /// regions `tiling` names for it.
    public func personCrops(in frame: VideoFrame, tiling: DetectionTiling, detection k: Int) throws -> [RotatedRect] {
        let search = tiling.regions(width: frame.displayWidth, height: frame.displayHeight, detection: k)
        return try detect(in: frame, regions: search).compactMap(region(for:))
    }

    /// The crop of one detected person.
    public func region(for detection: Detection) -> RotatedRect? {
        roi.region(from: detection.keypoints)
    }

    /// The square around the whole frame that the detector sees.
    public static func letterbox(width: Int, height: Int) -> RotatedRect {
        let side = Double(max(width, height))
        return RotatedRect(center: Point2(x: Double(width) / 2, y: Double(height) / 2), width: side, height: side)
    }
}
