import Foundation

/// One joint or segment angle as Sports2D defines it (Pose2Sim 0.10.49's `angle_dict`, which
/// Sports2D computes with): the points it is measured on, an offset and a sign.
///
/// Points are named after posepipe's keypoints; `neck` is the middle of the shoulders and
/// `mid_hip` the middle of the hips, as Sports2D adds them when a model lacks them.
public struct AngleDefinition: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Between segments (three or four points).
        case joint
        /// Of one segment (two points) against the horizontal.
        case segment
    }

    /// The name written to the output, e.g. `right_knee`.
    public var name: String
    public var kind: Kind
    public var points: [String]
    public var offset: Double
    public var scale: Double

    /// Knees, hips, ankles, elbows and shoulders, then shanks, thighs, trunk and arms, in Sports2D's
    /// order of its default angle lists.
    public static let sports2D: [AngleDefinition] = [
        .init(name: "right_ankle", kind: .joint, points: ["right_knee", "right_ankle", "right_foot_index", "right_heel"], offset: 90, scale: 1),
        .init(name: "left_ankle", kind: .joint, points: ["left_knee", "left_ankle", "left_foot_index", "left_heel"], offset: 90, scale: 1),
        .init(name: "right_knee", kind: .joint, points: ["right_ankle", "right_knee", "right_hip"], offset: -180, scale: 1),
        .init(name: "left_knee", kind: .joint, points: ["left_ankle", "left_knee", "left_hip"], offset: -180, scale: 1),
        .init(name: "right_hip", kind: .joint, points: ["right_knee", "right_hip", "mid_hip", "neck"], offset: 0, scale: -1),
        .init(name: "left_hip", kind: .joint, points: ["left_knee", "left_hip", "mid_hip", "neck"], offset: 0, scale: -1),
        .init(name: "right_shoulder", kind: .joint, points: ["right_elbow", "right_shoulder", "mid_hip", "neck"], offset: 0, scale: -1),
        .init(name: "left_shoulder", kind: .joint, points: ["left_elbow", "left_shoulder", "mid_hip", "neck"], offset: 0, scale: -1),
        .init(name: "right_elbow", kind: .joint, points: ["right_wrist", "right_elbow", "right_shoulder"], offset: 180, scale: -1),
        .init(name: "left_elbow", kind: .joint, points: ["left_wrist", "left_elbow", "left_shoulder"], offset: 180, scale: -1),
        .init(name: "right_shank", kind: .segment, points: ["right_ankle", "right_knee"], offset: 0, scale: -1),
        .init(name: "left_shank", kind: .segment, points: ["left_ankle", "left_knee"], offset: 0, scale: -1),
        .init(name: "right_thigh", kind: .segment, points: ["right_knee", "right_hip"], offset: 0, scale: -1),
        .init(name: "left_thigh", kind: .segment, points: ["left_knee", "left_hip"], offset: 0, scale: -1),
        .init(name: "trunk", kind: .segment, points: ["neck", "mid_hip"], offset: 0, scale: -1),
        .init(name: "right_arm", kind: .segment, points: ["right_elbow", "right_shoulder"], offset: 0, scale: -1),
        .init(name: "left_arm", kind: .segment, points: ["left_elbow", "left_shoulder"], offset: 0, scale: -1),
    ]

    /// The angle in degrees, in [−180, 180), of points given in this definition's order, in
    /// image coordinates (y down) as Sports2D takes them.
    ///
    /// Two points: the direction of p0 − p1, `atan2(dy, dx)`. Three: from u = p0 − p1 to
    /// v = p2 − p1; four: from u = p1 − p0 to v = p3 − p2; both `−atan2(u × v, u · v)`. Then
    /// `(angle + offset) · scale`, wrapped.
    public func degrees(_ p: [Point2]) -> Double {
        precondition(p.count == points.count)
        var angle: Double
        if p.count == 2 {
            angle = atan2(p[0].y - p[1].y, p[0].x - p[1].x)
        } else {
            let (u, v) = p.count == 3 ? (p[0] - p[1], p[2] - p[1]) : (p[1] - p[0], p[3] - p[2])
            angle = -atan2(u.x * v.y - u.y * v.x, u.x * v.x + u.y * v.y)
        }
        angle = (angle * 180 / .pi + offset) * scale
        // Python's floor modulo, as Sports2D wraps: the result lies in [−180, 180).
        let shifted = angle + 180
        return shifted - 360 * (shifted / 360).rounded(.down) - 180
    }
}

private extension Point2 {
    static func - (a: Point2, b: Point2) -> Point2 { Point2(x: a.x - b.x, y: a.y - b.y) }
}
