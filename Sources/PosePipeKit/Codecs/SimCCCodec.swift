import Foundation

/// SimCC's decode (RTMPose): one 1-D classification vector per keypoint and axis, `simcc_x` [K, W·r] and
/// `simcc_y` [K, H·r], whose argmax divided by the split ratio r is the keypoint in input pixels (pixel
/// centres on integers, as MMPose's other codecs).
///
/// MMPose 1.3.2's `SimCCLabel.decode` (mmpose/codecs/simcc_label.py, `get_simcc_maximum` in
/// codecs/utils/post_processing.py) scores a keypoint with the smaller of the two axis maxima; rtmlib
/// 0.0.16's `get_simcc_maximum` with their mean. Either way a score ≤ 0 puts the keypoint at −1 (before the
/// division). With `dark`, MMPose's `refine_simcc_dark` moves each argmax by one Newton step on the log of
/// the blurred vector. Arithmetic is float32 where the references' is.
public struct SimCCCodec: Sendable, Equatable {
    public enum ScoreRule: String, Sendable, Equatable, Decodable {
        /// MMPose's: min(max x, max y).
        case min
        /// rtmlib's: (max x + max y) / 2.
        case mean
    }

    /// Blur kernels of MMPose's DARK refinement, from the label's σ as `SimCCLabel.decode` derives them.
    public struct Dark: Sendable, Equatable {
        public var xKernel: Int
        public var yKernel: Int

        public init(xKernel: Int, yKernel: Int) {
            self.xKernel = xKernel
            self.yKernel = yKernel
        }

        /// `int((σ · 20 − 7) // 3)`, made odd by stepping down.
        public init(sigmaX: Double, sigmaY: Double) {
            func kernel(_ sigma: Double) -> Int {
                var k = Int(((sigma * 20 - 7) / 3).rounded(.down))
                if k % 2 == 0 { k -= 1 }
                return k
            }
            self.init(xKernel: kernel(sigmaX), yKernel: kernel(sigmaY))
        }
    }

    public var splitRatio: Double
    public var score: ScoreRule
    public var dark: Dark?

    public init(splitRatio: Double = 2, score: ScoreRule, dark: Dark? = nil) {
        self.splitRatio = splitRatio
        self.score = score
        self.dark = dark
    }

    /// The first `keypointCount` keypoints in input pixels, from row-major `x` [K, xBins] and `y` [K, yBins].
    public func decode(x: [Float], y: [Float], keypointCount: Int, xBins: Int, yBins: Int) -> [Keypoint] {
        precondition(x.count >= keypointCount * xBins && y.count >= keypointCount * yBins, "SimCC vectors too short")
        let ratio = Float(splitRatio)
        return (0..<keypointCount).map { k in
            let rowX = x[(k * xBins)..<((k + 1) * xBins)], rowY = y[(k * yBins)..<((k + 1) * yBins)]
            let (ix, mx) = Self.argmax(rowX), (iy, my) = Self.argmax(rowY)
            let value: Float = score == .min ? Swift.min(mx, my) : 0.5 * (mx + my)
            var lx = Float(ix), ly = Float(iy)
            if !(value > 0) {
                lx = -1
                ly = -1
            }
            if let dark {
                lx = Self.refined(lx, Array(rowX), kernel: dark.xKernel)
                ly = Self.refined(ly, Array(rowY), kernel: dark.yKernel)
            }
            return Keypoint(x: Double(lx / ratio), y: Double(ly / ratio), score: Double(value))
        }
    }

    /// `np.argmax` and `np.amax` of one vector: the first maximum; a NaN wins both.
    static func argmax(_ values: ArraySlice<Float>) -> (Int, Float) {
        var best = 0, top = -Float.infinity
        for (i, v) in zip(0..., values) {
            if v.isNaN { return (i, v) }
            if v > top || i == 0 {
                best = i
                top = v
            }
        }
        return (best, top)
    }

    /// `refine_simcc_dark` for one vector: blur (max-preserving, zero-padded), clip to [1e−3, 50], log, edge-pad
    /// by 2, then x −= (½(v[p+1] − v[p−1])) / (1e−9 + ¼(v[p+2] − 2v[p] + v[p−2])) at p = int(x + 2.5).
    static func refined(_ location: Float, _ vector: [Float], kernel: Int) -> Float {
        let count = vector.count
        var blurred = GaussianBlur(kernelSize: kernel).blurredRow(vector)
        let top = GaussianBlur.maximum(vector), blurredTop = GaussianBlur.maximum(blurred)
        if blurredTop != 0 {
            let factor = top / blurredTop
            for i in blurred.indices { blurred[i] *= factor }
        }
        let logs = blurred.map { float32Log(Swift.min(Swift.max($0, 1e-3), 50)) }
        // Edge-padded by 2: padded index i reads logs[clamp(i − 2)].
        func at(_ i: Int) -> Float { logs[Swift.min(Swift.max(i - 2, 0), count - 1)] }
        let p = Int((location + 2.5).rounded(.towardZero))
        let dx: Float = 0.5 * (at(p + 1) - at(p - 1))
        let dxx: Float = 1e-9 + 0.25 * (at(p + 2) - 2 * at(p) + at(p - 2))
        return location - dx / dxx
    }
}
