/// Non-maximum suppression: each cluster of boxes overlapping the best remaining one by more
/// than `iouThreshold` becomes one detection with the best one's score.
///
/// `weighted` is MediaPipe's: the kept box and keypoints are the score-weighted mean of the
/// cluster, which steadies the box from frame to frame. `greedy` keeps the best box as it is,
/// as automl's EfficientDet post-processing does.
public struct NonMaxSuppression: Sendable {
    public enum Mode: Sendable {
        case weighted, greedy
    }

    public let iouThreshold: Double
    public let mode: Mode

    public init(iouThreshold: Double, mode: Mode = .weighted) {
        self.iouThreshold = iouThreshold
        self.mode = mode
    }

    public func apply(_ detections: [Detection]) -> [Detection] {
        // Stable ordering: equal scores keep their anchor order, so results never depend on sort internals.
        var remaining = detections.enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }.map(\.element)
        var kept: [Detection] = []
        while let best = remaining.first {
            var cluster: [Detection] = []
            var rest: [Detection] = []
            for candidate in remaining {
                if best.box.iou(candidate.box) > iouThreshold || candidate == best {
                    cluster.append(candidate)
                } else {
                    rest.append(candidate)
                }
            }
            kept.append(mode == .weighted ? Self.weightedMean(cluster, score: best.score) : best)
            remaining = rest
        }
        return kept
    }

    private static func weightedMean(_ cluster: [Detection], score: Double) -> Detection {
        let total = cluster.reduce(0) { $0 + $1.score }
        guard cluster.count > 1, total > 0 else { return cluster[0] }
        var box = Box(x: 0, y: 0, width: 0, height: 0)
        var keypoints = [Point2](repeating: Point2(x: 0, y: 0), count: cluster[0].keypoints.count)
        for d in cluster {
            let w = d.score / total
            box.x += d.box.x * w
            box.y += d.box.y * w
            box.width += d.box.width * w
            box.height += d.box.height * w
            for k in keypoints.indices {
                keypoints[k].x += d.keypoints[k].x * w
                keypoints[k].y += d.keypoints[k].y * w
            }
        }
        return Detection(box: box, keypoints: keypoints, score: score)
    }
}
