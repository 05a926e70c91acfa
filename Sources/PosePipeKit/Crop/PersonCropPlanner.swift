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

    /// Tracked crops first, in their order, then the new people's crops in detection order.
    public func plan(tracked: [RotatedRect], detected: [RotatedRect]) -> [RotatedRect] {
        var regions = tracked
        for candidate in detected where !regions.contains(where: { samePerson($0, candidate) }) {
            regions.append(candidate)
        }
        return regions
    }

    func samePerson(_ a: RotatedRect, _ b: RotatedRect) -> Bool {
        let size = max(a.width, b.width)
        let ratio = max(a.width, b.width) / max(min(a.width, b.width), .leastNonzeroMagnitude)
        return a.center.distance(to: b.center) <= sameCentreFraction * size && ratio <= sameSizeRatio
    }
}
