import Foundation

/// BlazePose's crop: a rotated square from two alignment points, as MediaPipe's
/// `AlignmentPointsRectsCalculator` and `RectTransformationCalculator` build it — centred on the
/// first point (mid-hip), side 2·|p1 − p0|·scale, turned so the vector p0 → p1 (toward the
/// head) points at `targetAngleDegrees` in the crop.
///
/// Codec coordinates are MediaPipe's: continuous crop pixels from the input's top-left corner.
public struct AlignedCropRule: CropRule, Equatable {
    /// Indices of the regression head's points [centre, toward the head] that follow a person.
    public var follow: [Int]
    /// Angle the p0 → p1 vector should have in the crop, in degrees, counter-clockwise from +x.
    public var targetAngleDegrees: Double
    /// Growth of the square around the body, 1.25 for BlazePose.
    public var scale: Double

    public init(follow: [Int] = [0, 1], targetAngleDegrees: Double = 90, scale: Double = 1.25) {
        self.follow = follow
        self.targetAngleDegrees = targetAngleDegrees
        self.scale = scale
    }

    /// The crop from a detection's alignment points, or, for a detector of plain boxes, an
    /// upright square around its box (the model's own points take over from the next frame).
    public func crop(for detection: Detection) -> RotatedRect? {
        if detection.alignment.count == 2 { return crop(center: detection.alignment[0], toward: detection.alignment[1]) }
        let side = max(detection.box.width, detection.box.height) * scale
        guard side > 0, side.isFinite else { return nil }
        return RotatedRect(center: detection.box.center, width: side, height: side)
    }

    public func crop(following keypoints: [Keypoint], points: [Point2]?) -> RotatedRect? {
        guard let points, follow.allSatisfy(points.indices.contains) else { return nil }
        return crop(center: points[follow[0]], toward: points[follow[1]])
    }

    public func codecToFrame(_ crop: RotatedRect, inputWidth: Int, inputHeight: Int) -> AffineTransform {
        crop.cropToFrame(cropWidth: Double(inputWidth), cropHeight: Double(inputHeight))
    }

    /// The square centred on `p0` with p0 → p1 turned to the target angle; nil when they coincide.
    public func crop(center p0: Point2, toward p1: Point2) -> RotatedRect? {
        let size = 2 * p0.distance(to: p1) * scale
        guard size > 0, size.isFinite else { return nil }
        // y grows down on screen, so the upward angle of p0 → p1 is atan2(-(dy), dx).
        let rotation = normalizedRadians(targetAngleDegrees * Double.pi / 180 - atan2(-(p1.y - p0.y), p1.x - p0.x))
        return RotatedRect(center: p0, width: size, height: size, rotation: rotation)
    }
}
