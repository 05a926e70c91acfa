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
}
