import Foundation

/// Turns a single-shot detector's raw outputs into scored detections, as MediaPipe's
/// `TensorsToDetectionsCalculator` does for BlazePose (x before y, fixed-size anchors).
public struct DetectionDecoder: Sendable {
    public let anchors: [Anchor]
    /// Raw offsets are in detector-input pixels; this divides them into anchor units.
    public let boxScale: Double
    public let keypointCount: Int
    public let scoreThreshold: Double
    /// Logits are clipped to ±this before the sigmoid, as MediaPipe does.
    public let scoreClip: Double

    public init(anchors: [Anchor], boxScale: Double, keypointCount: Int, scoreThreshold: Double, scoreClip: Double = 100) {
        self.anchors = anchors
        self.boxScale = boxScale
        self.keypointCount = keypointCount
        self.scoreThreshold = scoreThreshold
        self.scoreClip = scoreClip
    }

    /// Values per box in the raw box tensor: centre, size and two per keypoint.
    public var valuesPerBox: Int { 4 + 2 * keypointCount }

    /// Detections above the threshold, in coordinates normalised to the detector's input (0…1).
    public func decode(boxes: [Float], scores: [Float]) -> [Detection] {
        precondition(boxes.count == anchors.count * valuesPerBox && scores.count == anchors.count,
                     "detector outputs do not match the anchor count")
        var result: [Detection] = []
        for (i, anchor) in anchors.enumerated() {
            let logit = min(max(Double(scores[i]), -scoreClip), scoreClip)
            let score = 1 / (1 + exp(-logit))
            guard score >= scoreThreshold else { continue }
            let raw = i * valuesPerBox
            func value(_ k: Int) -> Double { Double(boxes[raw + k]) }
            let cx = value(0) / boxScale * anchor.width + anchor.centerX
            let cy = value(1) / boxScale * anchor.height + anchor.centerY
            let w = value(2) / boxScale * anchor.width
            let h = value(3) / boxScale * anchor.height
            let keypoints = (0..<keypointCount).map { k in
                Point2(x: value(4 + 2 * k) / boxScale * anchor.width + anchor.centerX,
                       y: value(5 + 2 * k) / boxScale * anchor.height + anchor.centerY)
            }
            result.append(Detection(box: Box(x: cx - w / 2, y: cy - h / 2, width: w, height: h), keypoints: keypoints, score: score))
        }
        return result
    }
}
