/// Person crop stage, second half: decides which crops the landmark model sees in a frame.
///
/// As in MediaPipe, a person found in the previous frame keeps the crop their own landmarks
/// suggest — steadier and better aligned than a fresh detection, and it needs no detector hit.
/// Detections add only the people nobody is tracking yet: a detection whose crop centre lies
/// within `sameCentreFraction` of a tracked crop's size from its centre, at a similar size,
/// is the same person.
public struct PersonCropPlanner: Sendable {
    public var sameCentreFraction: Double
    /// Largest size ratio between two crops of the same person.
    public var sameSizeRatio: Double

    public init(sameCentreFraction: Double = 0.3, sameSizeRatio: Double = 2) {
        self.sameCentreFraction = sameCentreFraction
        self.sameSizeRatio = sameSizeRatio
    }

    /// Tracked crops first, in their order, then the new people's crops in detection order; none
    /// once `limit` people are tracked (the newcomers would not be kept).
    public func plan(tracked: [RotatedRect], detected: [RotatedRect], limit: Int? = nil) -> [RotatedRect] {
        var regions = tracked
        guard regions.count < limit ?? .max else { return regions }
        for candidate in detected where !regions.contains(where: { samePerson($0, candidate) }) {
            regions.append(candidate)
        }
        return regions
    }

    /// The `count` largest crops by area, in their given order; ties keep the earlier one.
    ///
    /// Size, not the pose model's confidence, ranks people: it is known from the crop, so people
    /// followed beyond the limit are dropped before inference, and the largest person is the
    /// nearest, the subject of a single-person recording.
    public static func largest(_ count: Int, of crops: [RotatedRect]) -> [RotatedRect] {
        largest(count, of: crops, size: { $0.width * $0.height })
    }

    /// The `count` people whose crops are largest, in their given order, ranked as crops are.
    static func largest(_ count: Int, of people: [PersonObservation]) -> [PersonObservation] {
        largest(count, of: people, size: { $0.crop.width * $0.crop.height })
    }

    static func largest<T>(_ count: Int, of items: [T], size: (T) -> Double) -> [T] {
        guard items.count > count else { return items }
        let ranked = items.indices.sorted {
            let a = size(items[$0]), b = size(items[$1])
            return a != b ? a > b : $0 < $1
        }
        return ranked.prefix(count).sorted().map { items[$0] }
    }

    func samePerson(_ a: RotatedRect, _ b: RotatedRect) -> Bool {
        let size = max(a.width, b.width)
        let ratio = max(a.width, b.width) / max(min(a.width, b.width), .leastNonzeroMagnitude)
        return a.center.distance(to: b.center) <= sameCentreFraction * size && ratio <= sameSizeRatio
    }
}
