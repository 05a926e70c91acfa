/// Inference and peak extraction for one person crop: runs the landmark model on the crop and
/// maps the decoded keypoints back into the frame.
public final class LandmarkEstimator: Sendable {
    private let model: ONNXModel
    private let normalizer: CropNormalizer
    private let codec: any KeypointCodec
    private let presence: PipelineDescription.PresenceDescription
    private let regression: PipelineDescription.RegressionDescription?
    private let outputs: [ONNXModel.Output]

    public init(_ description: PipelineDescription, threads: Int = 1) throws {
        let landmarks = description.landmarks
        model = try ONNXModel(path: description.modelPath(landmarks.model), threads: threads)
        normalizer = CropNormalizer(spec: landmarks.input)
        codec = description.makeCodec()
        presence = landmarks.presence
        regression = landmarks.regression
        var outputs = [codec.output, ONNXModel.Output(name: presence.output, shape: [1, 1])]
        if let regression, regression.output != codec.output.name {
            outputs.append(ONNXModel.Output(name: regression.output, shape: [1, regression.shape.reduce(1, *)]))
        }
        self.outputs = outputs
    }

    /// A pose found in a crop, in displayed frame pixels.
    public struct Estimate: Sendable {
        public var keypoints: [Keypoint]
        /// Probability that the crop holds a person, 0…1.
        public var presence: Double
        /// The crop the next frame should use for this person, from the model's own alignment points.
        public var nextRegion: RotatedRect?
    }

    /// The pose in `region` of `frame`, or nil when the model sees no person there.
    public func estimate(in frame: VideoFrame, region: RotatedRect) throws -> Estimate? {
        let spec = normalizer.spec
        let input = normalizer.tensor(from: frame, region: region)
        let results = try input.withUnsafeBufferPointer {
            try model.run(input: spec.name, $0, shape: [1, spec.height, spec.width, 3], outputs: outputs)
        }
        let presenceValue = Double(results[1].first ?? 0)
        guard presenceValue >= presence.threshold else { return nil }
        let toFrame = normalizer.tensorToFrame(region)
        var keypoints = codec.decode(results[0]).map { k in
            let p = toFrame.apply(k.point)
            return Keypoint(x: p.x, y: p.y, score: k.score)
        }
        var next: RotatedRect?
        if let regression {
            let values = regression.output == codec.output.name ? results[0] : results[2]
            let stride = regression.shape[1]
            let points = (0..<regression.shape[0]).map { k in
                toFrame.apply(Point2(x: Double(values[k * stride]), y: Double(values[k * stride + 1])))
            }
            next = regression.roi.region(from: points)
            if let below = regression.positionBelow {
                // A flat heatmap (a hidden joint) has its argmax anywhere; the model's own
                // coordinate head still knows roughly where the joint is. MediaPipe trusts the
                // heatmap only above the same kind of threshold. The score stays the heatmap's.
                for k in keypoints.indices where keypoints[k].score < below && k < points.count {
                    keypoints[k].x = points[k].x
                    keypoints[k].y = points[k].y
                }
            }
        }
        return Estimate(keypoints: keypoints, presence: presenceValue, nextRegion: next)
    }
}
