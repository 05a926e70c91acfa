import Foundation

/// MediaPipe's heatmap refinement, `RefineLandmarksFromHeatMap` (mediapipe/calculators/util/
/// refine_landmarks_from_heatmap_calculator.cc), which BlazePose runs with kernel 7 and minimum confidence
/// 0.5 (mediapipe/modules/pose_landmark/tensors_to_pose_landmarks_and_segmentation.pbtxt): a landmark moves
/// to the confidence-weighted mean of the cells in a small window, so its position is continuous instead of
/// stepping by quarter cells.
///
/// The window is `kernel` × `kernel` cells centred on the cell of a first guess, cut at the map's border. In
/// MediaPipe the guess is the model's regressed landmark (`Centre.regression`): its normalised position
/// x/W_input times the map width in float32, truncated toward zero, is the centre column (likewise rows); a
/// guess whose cell falls outside the map is left as it is. `Centre.argmax` centres on the channel's first
/// maximum instead, for models without a regression head. A cell's confidence is sigmoid(value) (MediaPipe
/// hard-codes the sigmoid; `logits: false` takes values as they are). The sums run in float32 over rows, then
/// columns; the landmark becomes (Σ col·c / W / Σ c, Σ row·c / H / Σ c) of the input — cell i stands for
/// input point i · stride, the convention `MSRAHeatmapCodec` shares — but only when the window's largest
/// confidence is at least `minConfidence` and Σ c > 0; otherwise it stays at the guess. The score is the
/// window's largest confidence (MediaPipe's own score is the regression head's visibility).
public struct MediaPipeHeatmapCodec: HeatmapCodec {
    public enum Centre: String, Sendable, Codable {
        /// The model's regressed landmark, as MediaPipe does.
        case regression
        /// The channel's argmax.
        case argmax
    }

    public let kernelSize: Int
    public let minConfidence: Float
    public let centre: Centre
    public let logits: Bool

    public init(kernelSize: Int = 7, minConfidence: Float = 0.5, centre: Centre = .regression, logits: Bool = true) {
        precondition(kernelSize >= 1 && kernelSize % 2 == 1, "window size \(kernelSize) is not odd")
        self.kernelSize = kernelSize
        self.minConfidence = minConfidence
        self.centre = centre
        self.logits = logits
    }

    /// Without regressed landmarks every window is centred on its channel's argmax.
    public func decode(_ heatmaps: Heatmaps, inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        (0..<heatmaps.channels).map { k in
            let top = heatmaps.argmax(channel: k)
            return refined(heatmaps, channel: k, column: top.x, row: top.y,
                           guess: (Float(top.x) / Float(heatmaps.width), Float(top.y) / Float(heatmaps.height)),
                           inputWidth: inputWidth, inputHeight: inputHeight)
        }
    }

    /// With `Centre.regression`, channel k's window is centred on `regressed[k]` (input pixels, the regression
    /// output's raw values); channels past the end of `regressed` fall back to their argmax.
    public func decode(_ heatmaps: Heatmaps, regressed: [Point2], inputWidth: Int, inputHeight: Int) -> [Keypoint] {
        guard centre == .regression else { return decode(heatmaps, inputWidth: inputWidth, inputHeight: inputHeight) }
        let argmaxed = regressed.count < heatmaps.channels ? decode(heatmaps, inputWidth: inputWidth, inputHeight: inputHeight) : []
        return (0..<heatmaps.channels).map { k in
            guard k < regressed.count else { return argmaxed[k] }
            let guess = (Float(regressed[k].x) / Float(inputWidth), Float(regressed[k].y) / Float(inputHeight))
            let column = Self.cell(guess.0 * Float(heatmaps.width)), row = Self.cell(guess.1 * Float(heatmaps.height))
            return refined(heatmaps, channel: k, column: column, row: row, guess: guess, inputWidth: inputWidth, inputHeight: inputHeight)
        }
    }

    /// C++'s float → int conversion (toward zero); nil where it is undefined.
    static func cell(_ value: Float) -> Int? {
        guard value.isFinite, abs(value) < 1e9 else { return nil }
        return Int(value)
    }

    /// The landmark refined in the window around (column, row); `guess` is normalised to the input.
    private func refined(_ heatmaps: Heatmaps, channel k: Int, column: Int?, row: Int?, guess: (Float, Float),
                         inputWidth: Int, inputHeight: Int) -> Keypoint {
        let w = heatmaps.width, h = heatmaps.height
        func keypoint(_ x: Float, _ y: Float, score: Float) -> Keypoint {
            Keypoint(x: Double(x) * Double(inputWidth), y: Double(y) * Double(inputHeight), score: Double(score))
        }
        guard let column, let row, (0..<w).contains(column), (0..<h).contains(row) else {
            return keypoint(guess.0, guess.1, score: 0)
        }
        let offset = (kernelSize - 1) / 2
        var sum: Float = 0, weightedColumn: Float = 0, weightedRow: Float = 0, top: Float = 0
        for y in max(0, row - offset)..<min(h, row + offset + 1) {
            for x in max(0, column - offset)..<min(w, column + offset + 1) {
                let value = heatmaps[k, y, x]
                let confidence = logits ? 1 / (1 + Foundation.exp(-value)) : value
                sum += confidence
                top = max(top, confidence)
                weightedColumn += Float(x) * confidence
                weightedRow += Float(y) * confidence
            }
        }
        guard top >= minConfidence && sum > 0 else { return keypoint(guess.0, guess.1, score: top) }
        return keypoint(weightedColumn / Float(w) / sum, weightedRow / Float(h) / sum, score: top)
    }
}
