import Foundation

/// Reads the multi-person models that take a letterboxed frame: Ultralytics YOLO-pose and rtmlib's RTMO.
///
/// YOLO-pose (`yolo export format=onnx`, Ultralytics 8's `non_max_suppression` and `scale_boxes` /
/// `scale_coords`): `output0` [1, 5 + 3K, anchors], channel-major: box centre and size, the person score
/// (already a sigmoid), then K × (x, y, visibility) in input pixels. Rows scored above `scoreThreshold`, best
/// first, lose to a better one overlapping by IoU above `nmsIouThreshold` (torchvision's `nms`), at most 300;
/// coordinates are mapped back by (v − pad) / gain and clipped to the frame. Ultralytics' pixels have their
/// origin at the top-left corner, as posepipe's.
///
/// RTMO (rtmlib 0.0.16 `RTMO.postprocess`): boxes [1, N, 5] and keypoints [1, N, K, 3] in input pixels,
/// ÷ the ratio, rows through rtmlib's one-class `multiclass_nms`. rtmlib's pixel centres lie on integers, so
/// posepipe adds half a pixel.
public struct LetterboxPoseDecoder: Sendable {
    public var kind: MultiPoseDescription.Kind
    public var keypointCount: Int
    public var scoreThreshold: Double
    public var nmsIouThreshold: Double
    /// Ultralytics' `max_det`.
    public static let maximumPeople = 300

    public init(kind: MultiPoseDescription.Kind, keypointCount: Int, scoreThreshold: Double, nmsIouThreshold: Double) {
        self.kind = kind
        self.keypointCount = keypointCount
        self.scoreThreshold = scoreThreshold
        self.nmsIouThreshold = nmsIouThreshold
    }

    /// Where the frame sits in the input: frame = (input − pad) / gain.
    public struct Placement: Sendable, Equatable {
        public var gain: Double
        public var padX: Double
        public var padY: Double
        public var frameWidth: Int
        public var frameHeight: Int
    }

    /// YOLO-pose's people from `output0`'s `anchors` columns.
    public func yoloPose(_ values: [Float], anchors: Int, placement: Placement) -> [PersonObservation] {
        let rows = 5 + 3 * keypointCount
        guard values.count >= rows * anchors else { return [] }
        func v(_ row: Int, _ anchor: Int) -> Double { Double(values[row * anchors + anchor]) }
        let candidates = (0..<anchors).filter { v(4, $0) > scoreThreshold }
        let boxes = candidates.map { a in
            Box(x: v(0, a) - v(2, a) / 2, y: v(1, a) - v(3, a) / 2, width: v(2, a), height: v(3, a))
        }
        let kept = Self.suppress(boxes: boxes, scores: candidates.map { v(4, $0) }, threshold: nmsIouThreshold)
        return kept.prefix(Self.maximumPeople).map { i in
            let a = candidates[i]
            let keypoints = (0..<keypointCount).map { k in
                let p = frame(Point2(x: v(5 + 3 * k, a), y: v(6 + 3 * k, a)), placement, clip: true)
                return Keypoint(x: p.x, y: p.y, score: v(7 + 3 * k, a))
            }
            let corners = [Point2(x: boxes[i].x, y: boxes[i].y), Point2(x: boxes[i].x + boxes[i].width, y: boxes[i].y + boxes[i].height)]
            return observation(keypoints, corners: corners.map { frame($0, placement, clip: true) }, score: v(4, a))
        }
    }

    /// RTMO's people from its boxes [N, 5] and keypoints [N, K, 3].
    public func rtmo(boxes: [Float], keypoints: [Float], ratio: Double) -> [PersonObservation] {
        let count = boxes.count / 5, stride = 3 * keypointCount
        guard keypoints.count >= count * stride else { return [] }
        let r = Float(ratio)
        // rtmlib divides the float32 outputs by the ratio in float32.
        let scaled = (0..<count).map { i in
            LetterboxBoxDecoder.Box(x1: boxes[5 * i] / r, y1: boxes[5 * i + 1] / r, x2: boxes[5 * i + 2] / r, y2: boxes[5 * i + 3] / r,
                                    score: boxes[5 * i + 4])
        }
        let candidates = scaled.indices.filter { Double(scaled[$0].score) > scoreThreshold }
        var order = candidates.sorted { scaled[$0].score != scaled[$1].score ? scaled[$0].score > scaled[$1].score : $0 > $1 }
        var kept: [Int] = []
        let threshold = Float(nmsIouThreshold)
        while let first = order.first {
            kept.append(first)
            order = order.dropFirst().filter { LetterboxBoxDecoder.overlap(scaled[first], scaled[$0]) <= threshold }
        }
        return kept.map { i in
            let points = (0..<keypointCount).map { k in
                let base = i * stride + 3 * k
                return Keypoint(x: Double(keypoints[base] / r) + 0.5, y: Double(keypoints[base + 1] / r) + 0.5, score: Double(keypoints[base + 2]))
            }
            let b = scaled[i]
            let corners = [Point2(x: Double(b.x1) + 0.5, y: Double(b.y1) + 0.5), Point2(x: Double(b.x2) + 0.5, y: Double(b.y2) + 0.5)]
            return observation(points, corners: corners, score: Double(b.score))
        }
    }

    private func observation(_ keypoints: [Keypoint], corners: [Point2], score: Double) -> PersonObservation {
        let bounds = Box(enclosing: corners)
        return PersonObservation(keypoints: keypoints, score: min(max(score, 0), 1),
                                 crop: RotatedRect(center: bounds.center, width: bounds.width, height: bounds.height))
    }

    private func frame(_ p: Point2, _ placement: Placement, clip: Bool) -> Point2 {
        var x = (p.x - placement.padX) / placement.gain, y = (p.y - placement.padY) / placement.gain
        if clip {
            x = min(max(x, 0), Double(placement.frameWidth))
            y = min(max(y, 0), Double(placement.frameHeight))
        }
        return Point2(x: x, y: y)
    }

    /// Greedy suppression, best score first (ties: the earlier row), dropping rows whose IoU with a kept one
    /// exceeds `threshold`; returns the kept indices in order.
    static func suppress(boxes: [Box], scores: [Double], threshold: Double) -> [Int] {
        var order = boxes.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        var kept: [Int] = []
        while let first = order.first {
            kept.append(first)
            order = order.dropFirst().filter { boxes[first].iou(boxes[$0]) <= threshold }
        }
        return kept
    }
}
