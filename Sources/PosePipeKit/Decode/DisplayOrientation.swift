/// How a stored frame is turned for display, from the stream's display matrix.
///
/// Phones store portrait video as landscape frames plus a rotation tag; keypoints must be
/// reported in the orientation a viewer sees, so every crop samples through this mapping.
public enum DisplayOrientation: Int, Sendable, CaseIterable {
    case upright = 0
    case clockwise90 = 90
    case upsideDown = 180
    case clockwise270 = 270

    /// Turns within this many degrees of a quarter turn count as that quarter turn, as FFmpeg's
    /// own autorotation counts them.
    public static let tolerance = 1.0

    /// The orientation for a clockwise rotation in degrees (any multiple of 90, any sign, give
    /// or take `tolerance`); nil for a turn in between (45°), which no quarter turn shows right.
    public init?(clockwiseDegrees degrees: Double) {
        guard degrees.isFinite, abs(degrees) < 1e6 else { return nil }
        let quarters = (degrees / 90).rounded()
        guard abs(degrees - quarters * 90) <= Self.tolerance else { return nil }
        let quarter = Int(quarters)
        self.init(rawValue: ((quarter % 4 + 4) % 4) * 90)
    }

    /// Displayed size of a stored `width` × `height` frame.
    public func displaySize(width: Int, height: Int) -> (width: Int, height: Int) {
        switch self {
        case .upright, .upsideDown: (width, height)
        case .clockwise90, .clockwise270: (height, width)
        }
    }

    /// The map from displayed coordinates to stored coordinates of a stored `width` × `height` frame.
    public func displayToStored(width: Int, height: Int) -> AffineTransform {
        let w = Double(width), h = Double(height)
        switch self {
        case .upright: return .identity
        case .clockwise90: return AffineTransform(a: 0, b: 1, c: -1, d: 0, tx: 0, ty: h)
        case .upsideDown: return AffineTransform(a: -1, b: 0, c: 0, d: -1, tx: w, ty: h)
        case .clockwise270: return AffineTransform(a: 0, b: -1, c: 1, d: 0, tx: w, ty: 0)
        }
    }
}
