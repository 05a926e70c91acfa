/// A named set of keypoints (`Pipelines/keypoints/NAME.json`): their names in model output
/// order, the bones to draw, and which keypoint each one becomes in a mirrored picture.
public struct KeypointSet: Sendable, Equatable, Decodable {
    public var name: String
    public var keypoints: [String]
    /// Pairs of keypoint indices joined by a bone.
    public var skeleton: [[Int]]
    /// `flip[k]` is the keypoint that `k` turns into when the picture is mirrored (left ↔ right).
    public var flip: [Int]

    public var count: Int { keypoints.count }

    enum CodingKeys: String, CodingKey, CaseIterable {
        /// `source`: where the set's data was read from (a note for people; not decoded).
        case name, keypoints, skeleton, flip, source
    }

    public init(name: String, keypoints: [String], skeleton: [[Int]], flip: [Int]) {
        self.name = name
        self.keypoints = keypoints
        self.skeleton = skeleton
        self.flip = flip
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        keypoints = try c.decode([String].self, forKey: .keypoints) { names in
            if names.isEmpty { return "must name at least one keypoint" }
            return Set(names).count == names.count ? nil : "names must be unique"
        }
        let count = keypoints.count
        skeleton = try c.decode([[Int]].self, forKey: .skeleton) { edges in
            edges.contains { $0.count != 2 || $0.contains { !(0..<count).contains($0) } }
                ? "every bone must be two keypoint indices below \(count)" : nil
        }
        flip = try c.decode([Int].self, forKey: .flip, default: Array(0..<count)) { flip in
            guard flip.count == count else { return "must list \(count) indices, one per keypoint" }
            guard flip.allSatisfy({ (0..<count).contains($0) }), flip.indices.allSatisfy({ flip[flip[$0]] == $0 }) else {
                return "must pair keypoints: flip[flip[k]] == k for every k"
            }
            return nil
        }
    }

    /// The index of the keypoint called `name`.
    public func index(of name: String) -> Int? { keypoints.firstIndex(of: name) }
}
