/// Keypoints regressed directly as coordinates (TFPose/Poseur, MMPose `RegressionHead` and `RLEHead`,
/// BlazePose's landmark tensor), one crop's output as a flat [Float].
///
/// MMPose's `RegressionLabel.decode` (mmpose/codecs/regression_label.py) multiplies normalised [0, 1]
/// coordinates by the input size; for [K, 4] outputs `RLEHead.predict`
/// (mmpose/models/heads/regression_heads/rle_head.py) first replaces channels 2–3 by their sigmoid and the
/// score is the mean of 1 − σ over the two.
public struct CoordinateRegressionCodec: Sendable {
    public enum Layout: Sendable, Equatable {
        /// [K, 2]: x, y; score 1, as MMPose's `RegressionLabel.decode` gives.
        case xy
        /// [K, 3]: x, y, score (as is, or its sigmoid when `logits`).
        case xyScore
        /// [K, 4]: x, y and two pre-sigmoid σ; score = mean(1 − sigmoid σ) (MMPose `RLEHead`, Poseur).
        case rle
        /// BlazePose's flat tensor: `valuesPerKeypoint` numbers a keypoint, x and y first, the score (a
        /// visibility logit when `logits`) at `scoreIndex`, or 1 when there is none.
        case flat(valuesPerKeypoint: Int, scoreIndex: Int?)

        public var valuesPerKeypoint: Int {
            switch self {
            case .xy: 2
            case .xyScore: 3
            case .rle: 4
            case .flat(let count, _): count
            }
        }
    }

    public enum Units: Sendable, Equatable {
        /// [0, 1] of the input, multiplied by the input size as `RegressionLabel.decode` does.
        case normalized
        /// Input pixels, used as they are.
        case pixels
    }

    public let layout: Layout
    public let units: Units
    /// Whether the score value of `.xyScore` and `.flat` is a logit.
    public let logits: Bool

    public init(layout: Layout, units: Units, logits: Bool = false) {
        self.layout = layout
        self.units = units
        self.logits = logits
    }

    /// The first `keypointCount` keypoints of `values` in input pixels.
    public func decode(_ values: [Float], keypointCount: Int, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        let stride = layout.valuesPerKeypoint
        precondition(values.count >= keypointCount * stride, "\(values.count) values for \(keypointCount) keypoints")
        let sx = units == .normalized ? Double(inputWidth) : 1, sy = units == .normalized ? Double(inputHeight) : 1
        return (0..<keypointCount).map { k in
            let v = Array(values[(k * stride)..<((k + 1) * stride)])
            return Keypoint(x: Double(v[0]) * sx, y: Double(v[1]) * sy, score: score(of: v, activated: false))
        }
    }

    /// MMPose's regression flip test (`RegressionHead.predict`, `RLEHead.predict`): the mirrored crop's raw
    /// output is flipped back with `flippedBack`, the score channels of both runs are activated (σ → sigmoid
    /// for `.rle`, logits → sigmoid), the two are averaged as (a + b) · 0.5 in float32, and the mean decoded.
    public func decodeFlipTest(plain: [Float], mirrored: [Float], flipIndices: [Int], shift: Bool,
                               inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        let stride = layout.valuesPerKeypoint, count = flipIndices.count
        let a = activated(plain, keypointCount: count)
        let b = activated(flippedBack(mirrored, flipIndices: flipIndices, shift: shift, inputWidth: inputWidth),
                          keypointCount: count)
        let sx = units == .normalized ? Double(inputWidth) : 1, sy = units == .normalized ? Double(inputHeight) : 1
        return (0..<count).map { k in
            let v = (0..<stride).map { (a[k * stride + $0] + b[k * stride + $0]) * 0.5 }
            return Keypoint(x: Double(v[0]) * sx, y: Double(v[1]) * sy, score: score(of: v, activated: true))
        }
    }

    /// A mirrored crop's raw output brought back to the plain crop, as MMPose's `flip_coordinates`
    /// (mmpose/models/utils/tta.py): x → 1 − x, and with `shift` (`shift_coords`, on by default in MMPose's
    /// heads) x −= 1 / input width, in float32; then keypoint k takes keypoint `flipIndices[k]`'s values. For
    /// pixel units the same map is x → W − x (− 1 with `shift`). Only the first `flipIndices.count`
    /// keypoints are read; other channels are carried along unchanged.
    public func flippedBack(_ values: [Float], flipIndices: [Int], shift: Bool, inputWidth: Int) -> [Float] {
        let stride = layout.valuesPerKeypoint
        let (mirror, step): (Float, Float) = units == .normalized ? (1, 1 / Float(inputWidth)) : (Float(inputWidth), 1)
        var out = values
        for (k, source) in flipIndices.enumerated() {
            for j in 0..<stride { out[k * stride + j] = values[source * stride + j] }
            var x = mirror - values[source * stride]
            if shift { x -= step }
            out[k * stride] = x
        }
        return out
    }

    private var scoreIndex: Int? {
        switch layout {
        case .xy: nil
        case .xyScore: 2
        case .rle: nil
        case .flat(_, let index): index
        }
    }

    private func score(of v: [Float], activated: Bool) -> Double {
        if layout == .rle {
            let s2 = activated ? v[2] : sigmoid32(v[2]), s3 = activated ? v[3] : sigmoid32(v[3])
            return Double(((1 - s2) + (1 - s3)) / 2)
        }
        guard let i = scoreIndex else { return 1 }
        return logits && !activated ? sigmoid(Double(v[i])) : Double(v[i])
    }

    private func activated(_ values: [Float], keypointCount: Int) -> [Float] {
        var out = values
        let stride = layout.valuesPerKeypoint
        for k in 0..<keypointCount {
            if layout == .rle {
                out[k * stride + 2] = sigmoid32(values[k * stride + 2])
                out[k * stride + 3] = sigmoid32(values[k * stride + 3])
            } else if logits, let i = scoreIndex {
                out[k * stride + i] = sigmoid32(values[k * stride + i])
            }
        }
        return out
    }

    private func sigmoid32(_ x: Float) -> Float { Float(sigmoid(Double(x))) }
}
