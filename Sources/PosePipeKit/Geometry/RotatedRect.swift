import Foundation

/// A region of interest: a rectangle of `width` × `height` pixels centred on `center` and
/// turned by `rotation` radians, clockwise on screen (y grows down), as MediaPipe's `NormalizedRect`.
public struct RotatedRect: Sendable, Hashable {
    public var center: Point2
    public var width: Double
    public var height: Double
    public var rotation: Double

    public init(center: Point2, width: Double, height: Double, rotation: Double = 0) {
        self.center = center
        self.width = width
        self.height = height
        self.rotation = rotation
    }

    /// The map from a `cropWidth` × `cropHeight` image of this region onto the frame it was cut from.
    ///
    /// Crop point (0, 0) is the region's rotated top-left corner, (cropWidth, cropHeight) its
    /// bottom-right one, so crop pixel centres `(i + 0.5, j + 0.5)` map onto the frame in the
    /// same continuous coordinates as `Point2`.
    public func cropToFrame(cropWidth: Double, cropHeight: Double) -> AffineTransform {
        let cosR = cos(rotation), sinR = sin(rotation)
        let sx = width / cropWidth, sy = height / cropHeight
        // Centre the crop, scale to region pixels, rotate, then move onto the region's centre.
        let a = cosR * sx, b = -sinR * sy, c = sinR * sx, d = cosR * sy
        let tx = center.x - a * cropWidth / 2 - b * cropHeight / 2
        let ty = center.y - c * cropWidth / 2 - d * cropHeight / 2
        return AffineTransform(a: a, b: b, c: c, d: d, tx: tx, ty: ty)
    }

    /// The four corners in frame coordinates, clockwise from the rotated top-left one.
    public var corners: [Point2] {
        let t = cropToFrame(cropWidth: 1, cropHeight: 1)
        return [Point2(x: 0, y: 0), Point2(x: 1, y: 0), Point2(x: 1, y: 1), Point2(x: 0, y: 1)].map(t.apply)
    }

    /// Whether `p` lies inside the region (borders included).
    public func contains(_ p: Point2) -> Bool {
        guard let back = cropToFrame(cropWidth: 1, cropHeight: 1).inverted else { return false }
        let q = back.apply(p)
        return q.x >= 0 && q.x <= 1 && q.y >= 0 && q.y <= 1
    }
}

/// Folds an angle into [-π, π), as MediaPipe's `NormalizeRadians`.
func normalizedRadians(_ angle: Double) -> Double {
    angle - 2 * Double.pi * floor((angle + Double.pi) / (2 * Double.pi))
}
