import Foundation
import Testing
@testable import PosePipeKit

@Suite struct NewPersonRuleTests {
    let rule = PoseModelDescription.NewPersonRule(anchors: [1, 2, 3, 4], minClear: 3, minScore: 0.5)

    func pose(_ scores: [Double]) -> [Keypoint] {
        scores.map { Keypoint(x: 0, y: 0, score: $0) }
    }

    @Test func aTorsoMustBeSeenToStartATrack() {
        #expect(rule.admits(pose([0, 0.9, 0.6, 0.5, 0.1])))
        #expect(!rule.admits(pose([1, 0.9, 0.49, 0.3, 0.8])))
        #expect(!rule.admits(pose([1, 1])), "anchors past the end of the pose count as unseen")
    }

    @Test func theShippedPipelineNamesShouldersAndHips() throws {
        let pipeline = try PipelineLoader().load("blazepose")
        let anchors = try #require(pipeline.pose?.newPerson).anchors.map { pipeline.keypoints.keypoints[$0] }
        #expect(anchors == ["left_shoulder", "right_shoulder", "left_hip", "right_hip"])
    }
}
