/// Which decoding scheme turns the pose model's output into keypoints (the `codec` part), one
/// case per family's published decoder.
public struct CodecDescription: Sendable, Equatable, Decodable {
    /// The output to decode; nil: the model's last output (the last hourglass stack, MSPN's last
    /// stage), as MMPose's heads and mmdeploy keep it.
    public var output: String?
    public var scheme: Scheme

    public enum Scheme: Sendable, Equatable {
        /// MMPose `MSRAHeatmap`; `joint` guard: HRNet's `get_final_preds`. `logits`: BlazePose's
        /// heatmaps, scored by their sigmoid.
        case msra(layout: TensorLayout, guard: MSRAHeatmapCodec.Guard, logits: Bool)
        /// Stacked Hourglass's own decode (pose-hg-train).
        case newell(layout: TensorLayout)
        /// MSPN's decode (MMPose `MegviiHeatmap`): blur with `kernel`, quarter offset, +0.5.
        case megvii(layout: TensorLayout, kernel: Int)
        /// MMPose `refine_keypoints_dark` after a max-preserving blur with `kernel`; `logits`: on the maps'
        /// sigmoid (BlazePose's maps are logits).
        case dark(layout: TensorLayout, kernel: Int, logits: Bool)
        /// MMPose `UDPHeatmap`: DARK-UDP refinement, scaled by (size − 1).
        case udp(layout: TensorLayout, kernel: Int)
        /// MediaPipe's `RefineLandmarksFromHeatmapCalculator`: the confidence-weighted mean of a `kernel` ×
        /// `kernel` window centred on the regressed landmark (or the argmax).
        case mediapipe(layout: TensorLayout, kernel: Int, minConfidence: Double, centre: MediaPipeHeatmapCodec.Centre, logits: Bool)
        /// Coordinates regressed directly (TFPose, MMPose `RegressionHead`/`RLEHead`, BlazePose).
        case regression(layout: CoordinateRegressionCodec.Layout, units: CoordinateRegressionCodec.Units, logits: Bool)
        /// SimCC vectors (RTMPose): `output` holds x [N, K, W·r], `yOutput` y [N, K, H·r].
        case simcc(yOutput: String, codec: SimCCCodec)

        /// Whether this scheme reads heatmaps (and so can be flip-tested by mirroring them).
        public var readsHeatmaps: Bool {
            switch self {
            case .regression, .simcc: false
            default: true
            }
        }
    }

    public init(output: String?, scheme: Scheme) {
        self.output = output
        self.scheme = scheme
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, output, layout, kernel, logits, format, units, centre
        case minConfidence = "min_confidence"
        case guardRule = "guard"
        case valuesPerKeypoint = "values_per_keypoint"
        case scoreIndex = "score_index"
        case yOutput = "y_output", splitRatio = "split_ratio", score, sigma
    }

    static let types = ["msra", "newell", "megvii", "dark", "udp", "mediapipe", "regression", "simcc"]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        output = try c.decodeIfPresent(String.self, forKey: .output)
        let type = try c.decode(String.self, forKey: .type)
        func layout() throws -> TensorLayout { try c.decode(TensorLayout.self, forKey: .layout, default: .nchw) }
        func kernel(_ fallback: Int) throws -> Int { try c.decode(Int.self, forKey: .kernel, default: fallback, where: Check.oddKernel) }
        switch type {
        case "msra":
            scheme = .msra(layout: try layout(), guard: try c.decode(MSRAHeatmapCodec.Guard.self, forKey: .guardRule, default: .axis),
                           logits: try c.decode(Bool.self, forKey: .logits, default: false))
        case "newell": scheme = .newell(layout: try layout())
        case "megvii": scheme = .megvii(layout: try layout(), kernel: try kernel(5))
        case "dark":
            scheme = .dark(layout: try layout(), kernel: try kernel(11), logits: try c.decode(Bool.self, forKey: .logits, default: false))
        case "udp": scheme = .udp(layout: try layout(), kernel: try kernel(11))
        case "mediapipe":
            scheme = .mediapipe(layout: try layout(), kernel: try kernel(7),
                                minConfidence: try c.decode(Double.self, forKey: .minConfidence, default: 0.5, where: Check.within(0...1)),
                                centre: try c.decode(MediaPipeHeatmapCodec.Centre.self, forKey: .centre, default: .regression),
                                logits: try c.decode(Bool.self, forKey: .logits, default: true))
        case "regression":
            let format: CoordinateRegressionCodec.Layout
            switch try c.decode(String.self, forKey: .format) {
            case "xy": format = .xy
            case "xy-score": format = .xyScore
            case "rle": format = .rle
            case "flat":
                let values = try c.decode(Int.self, forKey: .valuesPerKeypoint, where: Check.within(2...64))
                let score = try c.decodeIfPresent(Int.self, forKey: .scoreIndex)
                if let score, !(2..<values).contains(score) {
                    throw c.invalid(.scoreIndex, "must be between 2 and values_per_keypoint − 1 (\(values - 1))")
                }
                format = .flat(valuesPerKeypoint: values, scoreIndex: score)
            case let other:
                throw c.invalid(.format, "unknown format '\(other)' (one of: xy, xy-score, rle, flat)")
            }
            let units: CoordinateRegressionCodec.Units
            switch try c.decode(String.self, forKey: .units, default: "normalized") {
            case "normalized": units = .normalized
            case "pixels": units = .pixels
            case let other: throw c.invalid(.units, "unknown units '\(other)' (normalized: 0…1 of the input, or pixels)")
            }
            scheme = .regression(layout: format, units: units, logits: try c.decode(Bool.self, forKey: .logits, default: false))
        case "simcc":
            scheme = try Self.simcc(c)
        default:
            throw c.unknownType(.type, type, known: Self.types)
        }
    }

    /// `simcc`: `y_output` (default `simcc_y`), `split_ratio` (2), `score` (`min`: MMPose's, `mean`: rtmlib's),
    /// and `sigma` [x, y] for MMPose's DARK refinement (`use_dark`), whose blur kernels it sets.
    private static func simcc(_ c: KeyedDecodingContainer<CodingKeys>) throws -> Scheme {
        let sigma = try c.decodeIfPresent([Double].self, forKey: .sigma)
        if let sigma, sigma.count != 2 || !sigma.allSatisfy({ (0.8...50).contains($0) }) {
            throw c.invalid(.sigma, "must be two numbers [x, y] between 0.8 and 50 (the label's σ, e.g. [4.9, 5.66])")
        }
        guard let score = try c.decodeIfPresent(String.self, forKey: .score).map({ SimCCCodec.ScoreRule(rawValue: $0) }) ?? .min else {
            throw c.invalid(.score, "must be min (MMPose's) or mean (rtmlib's)")
        }
        let codec = SimCCCodec(splitRatio: try c.decode(Double.self, forKey: .splitRatio, default: 2, where: Check.within(0.25...16)),
                               score: score, dark: sigma.map { SimCCCodec.Dark(sigmaX: $0[0], sigmaY: $0[1]) })
        return .simcc(yOutput: try c.decode(String.self, forKey: .yOutput, default: "simcc_y"), codec: codec)
    }
}
