/// How a person's crop is cut from the frame (the `crop` part).
public enum CropDescription: Sendable, Equatable, Decodable {
    /// MMPose's box crop: the person's box grown by `padding`, its aspect fixed to the input's,
    /// as `bbox_xyxy2cs` + `TopdownAffine` do; `udp` scales by (size − 1) as UDP does.
    case box(padding: Double, udp: Bool)
    /// BlazePose's rotated square from two alignment points (MediaPipe's
    /// `AlignmentPointsRectsCalculator`): centred on the first, turned so the first → second
    /// vector points at `angleDegrees`, side 2·|p1 − p0|·`scale`. Following a person, the
    /// points are the regression output's points at `follow`.
    case aligned(follow: [Int], angleDegrees: Double, scale: Double)

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, padding, udp, follow
        case angleDegrees = "angle_degrees"
        case scale
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "box":
            self = .box(padding: try c.decode(Double.self, forKey: .padding, default: 1.25, where: Check.within(0.5...10)),
                        udp: try c.decode(Bool.self, forKey: .udp, default: false))
        case "aligned":
            let follow = try c.decode([Int].self, forKey: .follow) {
                $0.count == 2 && $0.allSatisfy { $0 >= 0 } && $0[0] != $0[1] ? nil : "must be two different point indices [centre, toward the head]"
            }
            self = .aligned(follow: follow,
                            angleDegrees: try c.decode(Double.self, forKey: .angleDegrees, default: 90, where: Check.within(-360...360)),
                            scale: try c.decode(Double.self, forKey: .scale, default: 1.25, where: Check.within(0.1...10)))
        default:
            throw c.unknownType(.type, type, known: ["box", "aligned"])
        }
    }
}
