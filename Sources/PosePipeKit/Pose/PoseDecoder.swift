import Foundation

/// Peak extraction stage: turns the pose model's outputs for one crop into a pose in frame
/// pixels — the codec's keypoints mapped back through the crop, the presence score, hidden
/// joints placed by the regression head, and the regression head's points, which the crop that
/// follows the person into the next frame may be made from.
public struct PoseDecoder: Sendable {
    /// How keypoints are read from the codec's output.
    public enum Reader: Sendable {
        /// Heatmaps of `shape` [1, K, H, W] (NCHW) or [1, H, W, K] (NHWC).
        case heatmaps(any HeatmapCodec, layout: TensorLayout, shape: [Int])
        case coordinates(CoordinateRegressionCodec)
        /// SimCC vectors: x [1, K, xBins] is the codec's output, y [1, K, yBins] the output at `yOutput`.
        case simcc(SimCCCodec, yOutput: Int, xBins: Int, yBins: Int)
    }

    /// Where the presence score is among the outputs, and how it is read.
    public struct PresenceOutput: Sendable, Equatable {
        /// Index among the model's outputs.
        public var output: Int
        /// A crop scored below this holds nobody.
        public var threshold: Double
        /// Whether the value is a logit (read through a sigmoid).
        public var logits: Bool

        public init(output: Int, threshold: Double, logits: Bool) {
            self.output = output
            self.threshold = threshold
            self.logits = logits
        }
    }

    /// Where the regression head's points are among the outputs, in input pixels.
    public struct RegressionOutput: Sendable, Equatable {
        /// Index among the model's outputs.
        public var output: Int
        /// Values per point; the first two are x and y.
        public var valuesPerKeypoint: Int
        /// Whether a hidden joint (scored below the clear score) takes the regressed position.
        public var hiddenPositions: Bool

        public init(output: Int, valuesPerKeypoint: Int, hiddenPositions: Bool) {
            self.output = output
            self.valuesPerKeypoint = valuesPerKeypoint
            self.hiddenPositions = hiddenPositions
        }
    }

    /// The flip test's channel (or keypoint row) swap and whether heatmaps or coordinates move by one
    /// pixel, as MMPose's `shift_heatmap` / `shift_coords`.
    public struct FlipTest: Sendable, Equatable {
        public var indices: [Int]
        public var shift: Bool

        public init(indices: [Int], shift: Bool) {
            self.indices = indices
            self.shift = shift
        }
    }

    public var reader: Reader
    public var keypointCount: Int
    public var inputWidth: Int
    public var inputHeight: Int
    public var cropRule: any CropRule
    public var clearScore: Double
    /// nil: the model has no presence output.
    public var presence: PresenceOutput?
    /// nil: the model has no regression head.
    public var regression: RegressionOutput?
    /// nil: no flip test.
    public var flip: FlipTest?

    public init(reader: Reader, keypointCount: Int, inputWidth: Int, inputHeight: Int, cropRule: any CropRule, clearScore: Double,
                presence: PresenceOutput?, regression: RegressionOutput?, flip: FlipTest?) {
        self.reader = reader
        self.keypointCount = keypointCount
        self.inputWidth = inputWidth
        self.inputHeight = inputHeight
        self.cropRule = cropRule
        self.clearScore = clearScore
        self.presence = presence
        self.regression = regression
        self.flip = flip
    }

    /// The presence score of a crop's outputs (nil when the model has no presence output).
    public func presenceScore(_ outputs: [[Float]]) -> Double? {
        guard let presence else { return nil }
        let raw = Double(outputs[presence.output].first ?? 0)
        return presence.logits ? sigmoid(raw) : raw
    }

    /// Whether the model's presence output says the crop holds a person (always, without one).
    public func holdsPerson(_ outputs: [[Float]]) -> Bool {
        holdsPerson(presence: presenceScore(outputs))
    }

    private func holdsPerson(presence score: Double?) -> Bool {
        guard let presence, let score else { return true }
        return score >= presence.threshold
    }

    /// The pose in `crop`, from the model's `outputs` (and, for a flip test, the outputs of the
    /// mirrored crop); nil when the crop holds nobody.
    public func decode(_ outputs: [[Float]], mirrored: [[Float]]? = nil, crop: RotatedRect) -> PoseEstimate? {
        let presenceValue = presenceScore(outputs)
        guard holdsPerson(presence: presenceValue) else { return nil }
        let toFrame = cropRule.codecToFrame(crop, inputWidth: inputWidth, inputHeight: inputHeight)
        // The regression head's points in input pixels, as the model gives them.
        var regressed: [Point2] = []
        if let regression {
            let values = outputs[regression.output], stride = regression.valuesPerKeypoint
            regressed = (0..<(values.count / stride)).map { k in Point2(x: Double(values[k * stride]), y: Double(values[k * stride + 1])) }
        }
        var keypoints = Array(codecKeypoints(outputs, mirrored: mirrored?[0], regressed: regressed).prefix(keypointCount)).map { k in
            let p = toFrame.apply(k.point)
            return Keypoint(x: p.x, y: p.y, score: k.score)
        }
        var points: [Point2]?
        if let regression {
            let found = regressed.map { toFrame.apply($0) }
            if regression.hiddenPositions {
                // A flat heatmap (a hidden joint) has its argmax anywhere; the model's own
                // coordinate head still knows roughly where the joint is. MediaPipe trusts the
                // heatmap only above the same kind of threshold. The score stays the heatmap's.
                for k in keypoints.indices where keypoints[k].score < clearScore && k < found.count {
                    keypoints[k].x = found[k].x
                    keypoints[k].y = found[k].y
                }
            }
            points = found
        }
        let score: Double
        if let presenceValue {
            score = presenceValue
        } else {
            // Without a presence output, a crop holds a person when a quarter of the keypoints are
            // clear; the person's score is the mean keypoint score.
            guard keypoints.filter({ $0.score >= clearScore }).count * 4 >= keypointCount else { return nil }
            score = min(max(keypoints.map(\.score).reduce(0, +) / Double(max(keypoints.count, 1)), 0), 1)
        }
        return PoseEstimate(keypoints: keypoints, presence: score, points: points)
    }

    /// Keypoints in the codec's input coordinates, averaged with the mirrored crop's for a flip test.
    private func codecKeypoints(_ outputs: [[Float]], mirrored: [Float]?, regressed: [Point2]) -> [Keypoint] {
        let values = outputs[0]
        switch reader {
        case .heatmaps(let codec, let layout, let shape):
            let (channels, height, width) = layout == .nchw ? (shape[1], shape[2], shape[3]) : (shape[3], shape[1], shape[2])
            var heatmaps = Heatmaps(values: values, channels: channels, height: height, width: width, layout: layout)
            if let mirrored, let flip {
                let other = Heatmaps(values: mirrored, channels: channels, height: height, width: width, layout: layout)
                heatmaps = heatmaps.averaged(with: other.flippedBack(flipIndices: flip.indices, shift: flip.shift))
            }
            return regressed.isEmpty ? codec.decode(heatmaps, inputWidth: inputWidth, inputHeight: inputHeight)
                : codec.decode(heatmaps, regressed: regressed, inputWidth: inputWidth, inputHeight: inputHeight)
        case .coordinates(let codec):
            if let mirrored, let flip {
                return codec.decodeFlipTest(plain: values, mirrored: mirrored, flipIndices: flip.indices, shift: flip.shift,
                                            inputWidth: inputWidth, inputHeight: inputHeight)
            }
            return codec.decode(values, keypointCount: keypointCount, inputWidth: inputWidth, inputHeight: inputHeight)
        case .simcc(let codec, let yOutput, let xBins, let yBins):
            return codec.decode(x: values, y: outputs[yOutput], keypointCount: keypointCount, xBins: xBins, yBins: yBins)
        }
    }
}
