/// Reads MoveNet MultiPose's output: one row per candidate person, K keypoints as
/// (y, x, score), then the box (ymin, xmin, ymax, xmax) and the person's score, every
/// coordinate normalised to the model's input (0 at its top-left edge, 1 at its bottom-right).
public struct MoveNetDecoder: Sendable {
    /// Keypoints in a row (17, COCO's, for MoveNet).
    public var keypointCount: Int
    /// A row scored at least this is a person.
    public var scoreThreshold: Double

    public init(keypointCount: Int, scoreThreshold: Double) {
        self.keypointCount = keypointCount
        self.scoreThreshold = scoreThreshold
    }

    /// Values in one person's row.
    public var valuesPerPerson: Int { 3 * keypointCount + 5 }

    /// The people among `values` (whole rows), best first (ties in row order), with keypoints
    /// and box mapped by `toFrame` from normalised input coordinates to displayed frame pixels.
    public func decode(_ values: [Float], toFrame: AffineTransform) -> [PersonObservation] {
        let stride = valuesPerPerson
        let rows = (0..<(values.count / stride)).filter { Double(values[$0 * stride + stride - 1]) >= scoreThreshold }
        let ranked = rows.sorted {
            let a = values[$0 * stride + stride - 1], b = values[$1 * stride + stride - 1]
            return a != b ? a > b : $0 < $1
        }
        return ranked.map { row in
            let base = row * stride
            func point(y: Int, x: Int) -> Point2 {
                toFrame.apply(Point2(x: Double(values[base + x]), y: Double(values[base + y])))
            }
            let keypoints = (0..<keypointCount).map { k in
                let p = point(y: 3 * k, x: 3 * k + 1)
                return Keypoint(x: p.x, y: p.y, score: Double(values[base + 3 * k + 2]))
            }
            let box = 3 * keypointCount
            let corners = [point(y: box, x: box + 1), point(y: box + 2, x: box + 3)]
            let bounds = Box(enclosing: corners)
            let crop = RotatedRect(center: bounds.center, width: bounds.width, height: bounds.height)
            return PersonObservation(keypoints: keypoints, score: min(max(Double(values[base + stride - 1]), 0), 1), crop: crop)
        }
    }
}
