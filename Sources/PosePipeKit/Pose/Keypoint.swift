/// A located keypoint with its confidence in 0…1.
public struct Keypoint: Sendable, Hashable {
    public var x: Double
    public var y: Double
    public var score: Double

    public init(x: Double, y: Double, score: Double) {
        self.x = x
        self.y = y
        self.score = score
    }

    public var point: Point2 { Point2(x: x, y: y) }
}
