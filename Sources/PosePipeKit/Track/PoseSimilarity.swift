import Foundation

/// Object keypoint similarity (COCO's OKS with one constant for every keypoint): how alike two
/// poses are, 1 for identical, towards 0 as keypoints drift apart relative to the person's size.
public enum PoseSimilarity {
    /// Fraction of the person's size at which a keypoint's agreement falls to e^-½.
    public static let tolerance = 0.1
    /// How close to one of a person's clear keypoints, as a fraction of their larger side, a phantom's
    /// keypoints lie.
    static let fragmentReach = 0.15

    public static func oks(_ a: [Keypoint], _ b: [Keypoint]) -> Double {
        guard a.count == b.count, !a.isEmpty else { return 0 }
        let box = Box(enclosing: a.map(\.point))
        let scale = max((box.width * box.width + box.height * box.height).squareRoot(), 1)
        let spread = 2 * (tolerance * scale) * (tolerance * scale)
        var total = 0.0
        for (p, q) in zip(a, b) {
            let dx = p.x - q.x, dy = p.y - q.y
            total += exp(-(dx * dx + dy * dy) / spread)
        }
        return total / Double(a.count)
    }

    /// Whether `other` repeats `pose`: most keypoints that both see clearly lie within
    /// `tolerance` of the person's size of each other. A second crop on part of a person yields
    /// such a pose — few clear keypoints, all on the first pose — which whole-pose OKS misses.
    public static func isDuplicate(_ other: [Keypoint], of pose: [Keypoint], minScore: Double) -> Bool {
        guard other.count == pose.count, !pose.isEmpty else { return false }
        if oks(pose, other) > 0.5 { return true }
        let box = Box(enclosing: pose.map(\.point))
        let reach = 2 * tolerance * max((box.width * box.width + box.height * box.height).squareRoot(), 1)
        var shared = 0, close = 0
        for (p, q) in zip(pose, other) where p.score >= minScore && q.score >= minScore {
            shared += 1
            if p.point.distance(to: q.point) <= reach { close += 1 }
        }
        if shared >= 3 && 2 * close >= shared { return true }
        return isFragment(other, of: pose, minScore: minScore)
    }

    /// A crop on part of a person can yield a small phantom pose inside them: its clear extent under
    /// half of theirs, and four in five of its clear keypoints inside the person's box or on their body.
    static func isFragment(_ other: [Keypoint], of pose: [Keypoint], minScore: Double) -> Bool {
        let clear = other.filter { $0.score >= minScore }.map(\.point)
        let host = pose.filter { $0.score >= minScore }.map(\.point)
        guard clear.count >= 1, host.count >= 2 else { return false }
        let box = Box(enclosing: host)
        guard 2 * Box(enclosing: clear).area < box.area else { return false }
        let inside = clear.filter {
            $0.x >= box.x - 0.05 * box.width && $0.x <= box.x + 1.05 * box.width
                && $0.y >= box.y - 0.05 * box.height && $0.y <= box.y + 1.05 * box.height
        }.count
        if 5 * inside >= 4 * clear.count { return true }
        // Seen side-on a person's box is a fifth as wide as tall, and a phantom on their head spreads
        // its arms past it (MSPN on the two-person clip: one kept for ten frames). It still lies on
        // their body, each keypoint close to one of theirs. Someone standing beside them, even
        // inside their box's margin, is close only where a hand reaches them.
        let reach = fragmentReach * max(box.width, box.height)
        let onBody = clear.filter { point in host.contains { $0.distance(to: point) <= reach } }.count
        return 5 * onBody >= 4 * clear.count
    }

    /// Drops poses that repeat a better-scored one (two crops on one person), keeping order.
    public static func removingDuplicates(_ people: [PersonObservation], minScore: Double) -> [PersonObservation] {
        let ranked = people.indices.sorted {
            people[$0].score != people[$1].score ? people[$0].score > people[$1].score : $0 < $1
        }
        var kept: [Int] = []
        for index in ranked where !kept.contains(where: { isDuplicate(people[index].keypoints, of: people[$0].keypoints, minScore: minScore) }) {
            kept.append(index)
        }
        return kept.sorted().map { people[$0] }
    }
}
