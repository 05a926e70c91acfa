import Foundation
import Testing
@testable import PosePipeKit

@Suite struct TemporalSmootherTests {
    func person(_ id: Int, x: Double, score: Double = 0.9) -> TrackedPerson {
        TrackedPerson(id: id, score: 1, keypoints: [Keypoint(x: x, y: 0, score: score), Keypoint(x: x + 100, y: 100, score: 0.9)])
    }

    @Test func lowConfidencePointsPassThroughWithoutDraggingTheFilter() {
        var smoother = TemporalSmoother(parameters: OneEuroFilter.Parameters(minCutoff: 1, beta: 0, derivativeCutoff: 1))
        _ = smoother.smooth([person(1, x: 0)], at: 0, activeIDs: [1])
        let outlier = smoother.smooth([person(1, x: 500, score: 0.1)], at: 0.1, activeIDs: [1])
        #expect(outlier[0].keypoints[0].x == 500)
        let next = smoother.smooth([person(1, x: 0)], at: 0.2, activeIDs: [1])
        #expect(next[0].keypoints[0].x == 0, "the outlier must not have moved the filter")
    }

    @Test func aTrackThatEndedStartsFresh() {
        var smoother = TemporalSmoother(parameters: OneEuroFilter.Parameters(minCutoff: 0.01, beta: 0, derivativeCutoff: 1))
        _ = smoother.smooth([person(1, x: 0)], at: 0, activeIDs: [1])
        _ = smoother.smooth([], at: 0.1, activeIDs: [])
        let back = smoother.smooth([person(1, x: 300)], at: 0.2, activeIDs: [1])
        #expect(back[0].keypoints[0].x == 300)
    }

    @Test func aPersonUnseenForAWhileStartsFreshUnderTheSameId() {
        var smoother = TemporalSmoother(parameters: OneEuroFilter.Parameters(minCutoff: 0.01, beta: 0, derivativeCutoff: 1))
        _ = smoother.smooth([person(1, x: 0)], at: 0, activeIDs: [1])
        #expect(smoother.smooth([person(1, x: 300)], at: 0.1, activeIDs: [1])[0].keypoints[0].x < 300, "seen a moment ago: smoothed")
        #expect(smoother.smooth([person(1, x: 600)], at: 0.5, activeIDs: [1])[0].keypoints[0].x == 600, "unseen for 0.4 s: fresh")
    }

    @Test func offLeavesKeypointsUntouched() {
        var smoother = TemporalSmoother(parameters: nil)
        _ = smoother.smooth([person(1, x: 0)], at: 0, activeIDs: [1])
        #expect(smoother.smooth([person(1, x: 7)], at: 0.1, activeIDs: [1])[0].keypoints[0].x == 7)
    }
}
