/// BlazePose's person detector (MediaPipe `pose_detection`): finds every person in a frame with
/// their two alignment points (mid-hip, and a point toward the head).
///
/// The whole frame is letterboxed (centred) into the detector's square input, as MediaPipe does,
/// and each tile fills it; detections map back through the same square. The model's own boxes frame the face; after suppression each
/// detection's box becomes the body's square, centred on the mid-hip with side 2·|p1 − p0|, the
/// box a `box` crop needs.
public final class BlazePoseDetector: PersonDetecting {
    private let model: ImageModel
    private let decoder: DetectionDecoder
    private let suppression: NonMaxSuppression
    private let alignment: [Int]

    public init(_ description: BlazePoseDetectorDescription, threads: Int = 1) throws {
        let anchors = SSDAnchors.generate(description.anchors)
        decoder = DetectionDecoder(anchors: anchors, boxScale: description.boxScale,
                                   keypointCount: description.keypointsPerBox, scoreThreshold: description.scoreThreshold)
        model = try ImageModel(path: description.model.path, input: description.input,
                               outputs: [description.boxesOutput, description.scoresOutput], threads: threads)
        let expected = [[1, anchors.count, decoder.valuesPerBox], [1, anchors.count, 1]]
        for (output, shape) in zip(model.outputs, expected) where output.shape != shape {
            throw PosePipeError.invalidPipeline(
                "detector: output '\(output.name)' has shape \(output.shape) but the anchors and keypoints_per_box give \(shape)")
        }
        suppression = NonMaxSuppression(iouThreshold: description.nmsIouThreshold)
        alignment = description.alignment
    }

    public func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
        let input = model.input
        let inputPixels = AffineTransform(a: Double(input.width), b: 0, c: 0, d: Double(input.height), tx: 0, ty: 0)
        var found: [Detection] = []
        let whole = letterbox(width: frame.displayWidth, height: frame.displayHeight)
        for region in (search.wholeFrame ? [whole] : []) + search.tiles {
            let results = try model.run(frame, crop: region)
            // Decoded coordinates are normalised to the input square; scale to its pixels, then to the frame.
            let toFrame = model.normalizer.tensorToFrame(region).after(inputPixels)
            found += decoder.decode(boxes: results[0], scores: results[1]).map { $0.mapped(by: toFrame) }
        }
        return suppression.apply(found).map { detection in
            var person = detection
            let p0 = detection.keypoints[alignment[0]], p1 = detection.keypoints[alignment[1]]
            let half = p0.distance(to: p1)
            person.alignment = [p0, p1]
            person.box = Box(x: p0.x - half, y: p0.y - half, width: 2 * half, height: 2 * half)
            return person
        }
    }
}
