/// MediaPipe's weighted non-maximum suppression: each cluster of boxes overlapping the best
/// remaining one by more than `iouThreshold` becomes one detection, its box and keypoints
/// the score-weighted mean of the cluster, its score the best one.
///
/// Averaging rather than discarding steadies the box from frame to frame.
public struct NonMaxSuppression: Sendable {
    public let iouThreshold: Double

    public init(iouThreshold: Double) {
        self.iouThreshold = iouThreshold
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
            kept.append(Self.weightedMean(cluster, score: best.score))
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
