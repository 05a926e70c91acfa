import Foundation

/// The pose model part (`pose`): the network that finds one person's keypoints in a crop,
/// with everything needed to feed it and read it.
public struct PoseModelDescription: Sendable, Equatable {
    /// The model file; nil for a pipeline that describes a convention and takes the user's own
    /// export with `--model` (`mmpose-topdown`).
    public var model: ModelReference?
    public var input: InputDescription
    public var crop: CropDescription
    public var codec: CodecDescription
    /// The model's own "is there a person" output; nil: the person's score is the mean of its
    /// keypoint scores and a pose needs a quarter of its keypoints clear to be kept.
    public var presence: Presence?
    /// A second head of regressed points (BlazePose's): positions for hidden joints and the
    /// alignment points an `aligned` crop follows.
    public var regression: Regression?
    /// A keypoint scored at least this is "clear": drawn, boxed, smoothed, trusted.
    public var clearScore: Double
    /// What a fresh detection must show before it starts a track.
    public var newPerson: NewPersonRule?
    /// Run the mirrored crop too and average (MMPose's flip test); nil: off.
    public var flipTest: FlipTest?
    /// The flip test's settings for this model when `--flip-test` turns it on.
    public var flipSettings: FlipTest

    public struct Presence: Sendable, Equatable {
        public var output: String
        public var threshold: Double
        public var logits: Bool
    }

    public struct Regression: Sendable, Equatable {
        public var output: String
        public var valuesPerKeypoint: Int
        /// Whether keypoints scored below `clearScore` take their position from this output.
        public var hiddenPositions: Bool
    }

    /// A pose from a fresh detection starts a track only when at least `minClear` of the
    /// `anchors` (shoulders and hips for BlazePose) are clear. Detector hits on faces in foliage
    /// or lens flare yield poses with a clear head and feet borrowed from a real person but no
    /// torso of their own; people already followed are never held to this.
    public struct NewPersonRule: Sendable, Equatable {
        public var anchors: [Int]
        public var minClear: Int
        public var minScore: Double

        public init(anchors: [Int], minClear: Int, minScore: Double) {
            self.anchors = anchors
            self.minClear = minClear
            self.minScore = minScore
        }

        public func admits(_ keypoints: [Keypoint]) -> Bool {
            anchors.filter { keypoints.indices.contains($0) && keypoints[$0].score >= minScore }.count >= minClear
        }
    }

    public struct FlipTest: Sendable, Equatable {
        /// Move the mirrored heatmaps one column right, as MMPose's `shift_heatmap` (HRNet,
        /// Hourglass: on; UDP, MSPN: off).
        public var shiftHeatmap: Bool

        public init(shiftHeatmap: Bool) {
            self.shiftHeatmap = shiftHeatmap
        }
    }
}

extension PoseModelDescription {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case model, input, crop, codec, presence, regression
        case clearScore = "clear_score", newPerson = "new_person", flipTest = "flip_test"
    }

    enum PresenceKeys: String, CodingKey, CaseIterable {
        case output, threshold, logits
    }

    enum RegressionKeys: String, CodingKey, CaseIterable {
        case output
        case valuesPerKeypoint = "values_per_keypoint", hiddenPositions = "hidden_positions"
    }

    enum NewPersonKeys: String, CodingKey, CaseIterable {
        case anchors
        case minClear = "min_clear"
    }

    enum FlipKeys: String, CodingKey, CaseIterable {
        case enabled
        case shiftHeatmap = "shift_heatmap"
    }

    /// Decodes the part; keypoint names (in `new_person`) resolve against `keypoints`.
    init(from decoder: any Decoder, folder: URL, keypoints: KeypointSet) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        model = try c.decodeIfPresent(String.self, forKey: .model).map { ModelReference(file: $0, folder: folder) }
        input = try c.decode(InputDescription.self, forKey: .input)
        crop = try c.decode(CropDescription.self, forKey: .crop)
        codec = try c.decode(CodecDescription.self, forKey: .codec)
        clearScore = try c.decode(Double.self, forKey: .clearScore, default: 0.5, where: Check.within(0...1))
        if c.contains(.presence) {
            try c.superDecoder(forKey: .presence).rejectUnknownKeys(PresenceKeys.self)
            let p = try c.nestedContainer(keyedBy: PresenceKeys.self, forKey: .presence)
            presence = Presence(output: try p.decode(String.self, forKey: .output),
                                threshold: try p.decode(Double.self, forKey: .threshold, where: Check.within(0...1)),
                                logits: try p.decode(Bool.self, forKey: .logits, default: false))
        }
        if c.contains(.regression) {
            try c.superDecoder(forKey: .regression).rejectUnknownKeys(RegressionKeys.self)
            let r = try c.nestedContainer(keyedBy: RegressionKeys.self, forKey: .regression)
            regression = Regression(output: try r.decode(String.self, forKey: .output),
                                    valuesPerKeypoint: try r.decode(Int.self, forKey: .valuesPerKeypoint, where: Check.within(2...64)),
                                    hiddenPositions: try r.decode(Bool.self, forKey: .hiddenPositions, default: false))
        }
        if c.contains(.newPerson) {
            try c.superDecoder(forKey: .newPerson).rejectUnknownKeys(NewPersonKeys.self)
            let n = try c.nestedContainer(keyedBy: NewPersonKeys.self, forKey: .newPerson)
            let names = try n.decode([String].self, forKey: .anchors) { $0.isEmpty ? "must name at least one keypoint" : nil }
            var anchors: [Int] = []
            for (i, name) in names.enumerated() {
                guard let index = keypoints.index(of: name) else {
                    throw DescriptionError(path: DescriptionError.jsonPath(n.codingPath) + ".anchors[\(i)]",
                                           reason: "no keypoint '\(name)' in \(keypoints.name)")
                }
                anchors.append(index)
            }
            let minClear = try n.decode(Int.self, forKey: .minClear, where: Check.within(1...anchors.count))
            newPerson = NewPersonRule(anchors: anchors, minClear: minClear, minScore: clearScore)
        }
        flipSettings = FlipTest(shiftHeatmap: true)
        if c.contains(.flipTest) {
            try c.superDecoder(forKey: .flipTest).rejectUnknownKeys(FlipKeys.self)
            let f = try c.nestedContainer(keyedBy: FlipKeys.self, forKey: .flipTest)
            flipSettings = FlipTest(shiftHeatmap: try f.decode(Bool.self, forKey: .shiftHeatmap, default: true))
            if try f.decode(Bool.self, forKey: .enabled, default: true) { flipTest = flipSettings }
        }
        try checkConsistency(c)
    }

    private func checkConsistency(_ c: KeyedDecodingContainer<CodingKeys>) throws {
        if case .aligned = crop, regression == nil {
            throw c.invalid(.crop, "aligned crops follow a person by the regression output's points: pose.regression is missing")
        }
        if case .mediapipe(_, _, _, .regression, _) = codec.scheme, regression == nil {
            throw c.invalid(.codec, "centre 'regression' refines around the regression output's points: pose.regression is missing")
        }
        if regression?.hiddenPositions == true, case .regression = codec.scheme {
            throw c.invalid(.regression, "hidden_positions needs a heatmap codec (the codec already regresses positions)")
        }
        if flipTest != nil, case .simcc = codec.scheme {
            throw c.invalid(.flipTest, "posepipe has no flip test for SimCC vectors (rtmlib runs none either)")
        }
    }
}
