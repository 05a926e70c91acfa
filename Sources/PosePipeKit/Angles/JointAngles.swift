/// Computes Sports2D's joint and segment angles of a person from their keypoints, by keypoint
/// name, so any keypoint set with the named joints works (BlazePose-33, COCO-17…).
///
/// As in Sports2D (`visible_side = auto`), a person whose feet point left in the picture is
/// mirrored (x → −x) before measuring, so flexion reads positive whichever way they face; the
/// direction is the sum over both feet of toe x − heel x, from clearly seen feet only. Sets
/// without heels and toes are taken as facing right, as Sports2D does.
///
/// An angle is nil when any point it needs scores below `clearScore`.
public struct JointAngles: Sendable {
    /// The angles this keypoint set allows, in output order.
    public let definitions: [AngleDefinition]
    public let clearScore: Double
    private let index: [String: Int]
    private let feet: (rightToe: Int, rightHeel: Int, leftToe: Int, leftHeel: Int)?

    /// - Parameter keypointNames: the track's keypoint names; angles needing a missing joint are left out.
    public init(keypointNames: [String], clearScore: Double = 0.5) {
        var index: [String: Int] = [:]
        for (i, name) in keypointNames.enumerated() { index[name] = i }
        self.index = index
        self.clearScore = clearScore
        let derived: [String: [String]] = ["neck": ["left_shoulder", "right_shoulder"], "mid_hip": ["left_hip", "right_hip"]]
        definitions = AngleDefinition.sports2D.filter { definition in
            definition.points.allSatisfy { index[$0] != nil || (derived[$0]?.allSatisfy { index[$0] != nil } ?? false) }
        }
        if let rt = index["right_foot_index"], let rh = index["right_heel"], let lt = index["left_foot_index"], let lh = index["left_heel"] {
            feet = (rt, rh, lt, lh)
        } else {
            feet = nil
        }
    }

    public var names: [String] { definitions.map(\.name) }

    /// Whether the person faces left in the picture (and is mirrored before measuring).
    public func facesLeft(_ keypoints: [Keypoint]) -> Bool {
        guard let feet else { return false }
        var direction = 0.0
        for (toe, heel) in [(feet.rightToe, feet.rightHeel), (feet.leftToe, feet.leftHeel)] {
            if let t = clear(keypoints, toe), let h = clear(keypoints, heel) { direction += t.x - h.x }
        }
        return direction < 0
    }

    /// Each definition's angle in degrees, nil where a point is not clear.
    public func angles(of keypoints: [Keypoint]) -> [Double?] {
        let mirror = facesLeft(keypoints) ? -1.0 : 1.0
        return definitions.map { definition in
            var points: [Point2] = []
            for name in definition.points {
                guard let p = point(name, in: keypoints) else { return nil }
                points.append(Point2(x: mirror * p.x, y: p.y))
            }
            return definition.degrees(points)
        }
    }

    /// `angles(of:)` paired with the names, for the output record.
    public func named(_ keypoints: [Keypoint]) -> [(name: String, degrees: Double?)] {
        Array(zip(names, angles(of: keypoints))).map { (name: $0.0, degrees: $0.1) }
    }

    private func point(_ name: String, in keypoints: [Keypoint]) -> Point2? {
        switch name {
        case "neck": midpoint("left_shoulder", "right_shoulder", in: keypoints)
        case "mid_hip": midpoint("left_hip", "right_hip", in: keypoints)
        default: index[name].flatMap { clear(keypoints, $0) }
        }
    }

    private func midpoint(_ a: String, _ b: String, in keypoints: [Keypoint]) -> Point2? {
        guard let i = index[a], let j = index[b], let p = clear(keypoints, i), let q = clear(keypoints, j) else { return nil }
        return Point2(x: (p.x + q.x) / 2, y: (p.y + q.y) / 2)
    }

    private func clear(_ keypoints: [Keypoint], _ i: Int) -> Point2? {
        guard i < keypoints.count else { return nil }
        let k = keypoints[i]
        guard k.score >= clearScore, k.x.isFinite, k.y.isFinite else { return nil }
        return k.point
    }
}
