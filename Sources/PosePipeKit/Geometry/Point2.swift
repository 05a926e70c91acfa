/// A point in continuous pixel coordinates.
///
/// Convention used throughout posepipe: the top-left corner of the top-left pixel is (0, 0) and
/// the centre of pixel (column i, row j) is (i + 0.5, j + 0.5); x grows right, y grows down.
/// It is the convention of MediaPipe's normalised coordinates scaled by the image size, so
/// results compare with MediaPipe's without a half-pixel shift.
public struct Point2: Sendable, Hashable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public func distance(to other: Point2) -> Double {
        ((x - other.x) * (x - other.x) + (y - other.y) * (y - other.y)).squareRoot()
    }
}
