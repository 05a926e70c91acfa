import Foundation

/// Builds the person crop from two alignment keypoints, as MediaPipe's
/// `AlignmentPointsRectsCalculator` and `RectTransformationCalculator` do for BlazePose:
/// centred on the first point (mid-hip), a square of side 2·|p1 − p0|·scale, turned so the
/// vector p0 → p1 (towards the head) points straight up in the crop.
public struct AlignmentROI: Sendable, Codable, Equatable {
    public var centerKeypoint: Int
    public var scaleKeypoint: Int
    /// Angle the p0 → p1 vector should have in the crop, in degrees, counter-clockwise from +x.
    public var targetAngleDegrees: Double
    /// Growth of the square around the body, 1.25 for BlazePose.
    public var scale: Double

    public init(centerKeypoint: Int, scaleKeypoint: Int, targetAngleDegrees: Double, scale: Double) {
        self.centerKeypoint = centerKeypoint
        self.scaleKeypoint = scaleKeypoint
        self.targetAngleDegrees = targetAngleDegrees
        self.scale = scale
    }

    /// The crop for keypoints given in frame pixels; nil when the two points coincide.
    public func region(from keypoints: [Point2]) -> RotatedRect? {
        guard keypoints.indices.contains(centerKeypoint), keypoints.indices.contains(scaleKeypoint) else { return nil }
        let p0 = keypoints[centerKeypoint], p1 = keypoints[scaleKeypoint]
        let size = 2 * p0.distance(to: p1) * scale
        guard size > 0, size.isFinite else { return nil }
        // y grows down on screen, so the upward angle of p0 → p1 is atan2(-(dy), dx).
        let rotation = normalizedRadians(targetAngleDegrees * Double.pi / 180 - atan2(-(p1.y - p0.y), p1.x - p0.x))
        return RotatedRect(center: p0, width: size, height: size, rotation: rotation)
    }
}
