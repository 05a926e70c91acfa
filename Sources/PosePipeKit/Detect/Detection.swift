/// One detector hit: a person's box, the detector's keypoints, in some frame of reference, and
/// a score.
public struct Detection: Sendable, Equatable {
    /// Box as (min x, min y, width, height).
    public var box: Box
    public var keypoints: [Point2]
    /// Probability that the box holds a person, 0…1.
    public var score: Double
    /// [centre, toward the head] for an `aligned` crop, from detectors that give them; else empty.
    public var alignment: [Point2]

    public init(box: Box, keypoints: [Point2] = [], score: Double, alignment: [Point2] = []) {
        self.box = box
        self.keypoints = keypoints
        self.score = score
        self.alignment = alignment
    }

    /// The same detection with every coordinate passed through `transform`; the box becomes
    /// the axis-aligned box around its transformed corners.
    public func mapped(by transform: AffineTransform) -> Detection {
        let corners = [
            Point2(x: box.x, y: box.y), Point2(x: box.x + box.width, y: box.y),
            Point2(x: box.x, y: box.y + box.height), Point2(x: box.x + box.width, y: box.y + box.height),
        ].map(transform.apply)
        return Detection(box: Box(enclosing: corners), keypoints: keypoints.map(transform.apply), score: score,
                         alignment: alignment.map(transform.apply))
    }
}

/// An axis-aligned box: (x, y) is its top-left corner.
public struct Box: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var width: Double
    public var height: Double

    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The smallest box around `points` (empty at the origin when there are none).
    public init(enclosing points: [Point2]) {
        guard let first = points.first else {
            self.init(x: 0, y: 0, width: 0, height: 0)
            return
        }
        var minX = first.x, maxX = first.x, minY = first.y, maxY = first.y
        for p in points.dropFirst() {
            minX = min(minX, p.x)
            maxX = max(maxX, p.x)
            minY = min(minY, p.y)
            maxY = max(maxY, p.y)
        }
        self.init(x: minX, y: minY, width: maxX - minX, height: maxY - minY)
    }

    public var area: Double { max(0, width) * max(0, height) }

    public var center: Point2 { Point2(x: x + width / 2, y: y + height / 2) }

    public var diagonal: Double { (width * width + height * height).squareRoot() }

    /// Intersection over union, 0 when either box is empty.
    public func iou(_ other: Box) -> Double {
        let left = max(x, other.x), top = max(y, other.y)
        let right = min(x + width, other.x + other.width), bottom = min(y + height, other.y + other.height)
        let intersection = max(0, right - left) * max(0, bottom - top)
        let union = area + other.area - intersection
        return union > 0 ? intersection / union : 0
    }
}
