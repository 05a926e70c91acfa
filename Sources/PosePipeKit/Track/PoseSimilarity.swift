import Foundation

/// Object keypoint similarity (COCO's OKS with one constant for every keypoint): how alike two
/// poses are, 1 for identical, towards 0 as keypoints drift apart relative to the person's size.
public enum PoseSimilarity {
    /// Fraction of the person's size at which a keypoint's agreement falls to e^-½.
    public static let tolerance = 0.1

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

    /// Drops poses that repeat a better-scored one (two detections of one person).
    public static func removingDuplicates(_ people: [PersonObservation], above threshold: Double = 0.5) -> [PersonObservation] {
        let ordered = people.enumerated().sorted {
            $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
        }.map(\.element)
        var kept: [PersonObservation] = []
        for person in ordered where !kept.contains(where: { oks($0.keypoints, person.keypoints) > threshold }) {
            kept.append(person)
        }
        return kept
    }
}
