import Testing
@testable import PosePipeKit

@Suite struct PoseSimilarityTests {
    func observation(x: Double, y: Double = 0) -> PersonObservation {
        let keypoints = (0..<5).map { Keypoint(x: x + Double($0) * 10, y: y + Double($0) * 40, score: 0.9) }
        return PersonObservation(keypoints: keypoints, score: 0.9, crop: RotatedRect(center: Point2(x: x, y: y), width: 1, height: 1))
    }

    @Test func duplicatePosesCollapseToTheBestScored() {
        var weaker = observation(x: 1)
        weaker.score = 0.5
        let kept = PoseSimilarity.removingDuplicates([weaker, observation(x: 0), observation(x: 900)], minScore: 0.5)
        #expect(kept.count == 2)
        #expect(kept[0].score == 0.9 && kept[0].keypoints[0].x == 0)
    }

    /// A man walking seen side-on (box 65 × 353 px) and the phantom MSPN read from a second crop on his
    /// head and shoulders: the two-person clip, frame 146 (`--pipeline mspn`, COCO-17 x, y, score).
    static let sideOnMan: [(Double, Double, Double)] = [
        (549, 545, 1.22), (551, 539, 1.23), (549, 539, 1.16), (562, 542, 1.11), (558, 542, 1.04), (583, 582, 1.10),
        (586, 583, 0.89), (579, 655, 0.99), (579, 652, 0.84), (568, 723, 0.92), (551, 717, 0.79), (557, 714, 0.90),
        (555, 715, 0.88), (521, 796, 0.81), (568, 803, 0.86), (569, 892, 0.79), (569, 891, 0.91)]
    static let phantomOnHisHead: [(Double, Double, Double)] = [
        (561, 544, 0.54), (563, 540, 0.54), (558, 536, 0.54), (564, 511, 0.57), (563, 513, 0.58), (566, 518, 0.64),
        (581, 517, 0.64), (568, 549, 0.60), (577, 549, 0.60), (595, 554, 0.53), (581, 558, 0.55), (592, 562, 0.53),
        (589, 573, 0.53), (590, 604, 0.59), (600, 587, 0.65), (573, 582, 0.53), (572, 582, 0.53)]

    /// The multi-person fixture, frame 49 (`--pipeline hrnet`): the man on the plate with his arm out, and
    /// the woman standing behind it, her box against his hand, small and inside his box's margin.
    static let manArmOut: [(Double, Double, Double)] = [
        (282, 263, 0.91), (287, 256, 1.03), (280, 255, 1.00), (290, 255, 0.97), (276, 254, 0.93), (315, 294, 0.82),
        (232, 277, 0.90), (354, 345, 0.72), (181, 298, 0.64), (381, 398, 0.80), (165, 283, 0.44), (271, 407, 0.77),
        (238, 407, 0.90), (268, 489, 0.88), (250, 492, 0.73), (273, 548, 0.79), (264, 562, 0.75)]
    static let womanBehindHim: [(Double, Double, Double)] = [
        (397, 268, 0.77), (402, 262, 0.81), (395, 262, 0.83), (403, 262, 0.82), (394, 262, 0.83), (413, 279, 0.92),
        (386, 281, 0.86), (410, 311, 0.89), (382, 311, 0.92), (395, 286, 0.78), (379, 337, 0.86), (407, 339, 0.93),
        (390, 338, 0.93), (407, 384, 0.88), (393, 381, 0.69), (409, 428, 0.74), (400, 423, 0.41)]

    func person(_ points: [(Double, Double, Double)], score: Double) -> PersonObservation {
        PersonObservation(keypoints: points.map { Keypoint(x: $0.0, y: $0.1, score: $0.2) }, score: score,
                          crop: RotatedRect(center: Point2(x: 0, y: 0), width: 1, height: 1))
    }

    @Test func aPhantomOnTheHeadOfAPersonSeenSideOnIsDropped() {
        let kept = PoseSimilarity.removingDuplicates(
            [person(Self.sideOnMan, score: 0.97), person(Self.phantomOnHisHead, score: 0.57)], minScore: 0.52)
        #expect(kept.map(\.score) == [0.97])
    }

    @Test func aSmallPersonStandingAgainstSomeonesHandIsKept() {
        let kept = PoseSimilarity.removingDuplicates(
            [person(Self.manArmOut, score: 0.823), person(Self.womanBehindHim, score: 0.815)], minScore: 0.3)
        #expect(kept.map(\.score) == [0.823, 0.815])
    }
}
