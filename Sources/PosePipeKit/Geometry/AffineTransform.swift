/// A 2-D affine map `x' = a·x + b·y + tx`, `y' = c·x + d·y + ty`.
public struct AffineTransform: Sendable, Hashable {
    public var a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double

    public init(a: Double, b: Double, c: Double, d: Double, tx: Double, ty: Double) {
        (self.a, self.b, self.c, self.d, self.tx, self.ty) = (a, b, c, d, tx, ty)
    }

    public static let identity = AffineTransform(a: 1, b: 0, c: 0, d: 1, tx: 0, ty: 0)

    public func apply(_ p: Point2) -> Point2 {
        Point2(x: a * p.x + b * p.y + tx, y: c * p.x + d * p.y + ty)
    }

    /// `self` after `first`: `(self ∘ first)(p) == self.apply(first.apply(p))`.
    public func after(_ first: AffineTransform) -> AffineTransform {
        AffineTransform(
            a: a * first.a + b * first.c, b: a * first.b + b * first.d,
            c: c * first.a + d * first.c, d: c * first.b + d * first.d,
            tx: a * first.tx + b * first.ty + tx, ty: c * first.tx + d * first.ty + ty)
    }

    /// The inverse map; nil when the map collapses the plane (zero determinant).
    public var inverted: AffineTransform? {
        let det = a * d - b * c
        guard det != 0, det.isFinite else { return nil }
        let ia = d / det, ib = -b / det, ic = -c / det, id = a / det
        return AffineTransform(a: ia, b: ib, c: ic, d: id, tx: -(ia * tx + ib * ty), ty: -(ic * tx + id * ty))
    }
}
