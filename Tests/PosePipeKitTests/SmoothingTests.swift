import Foundation
import Testing
@testable import PosePipeKit

@Suite struct OneEuroFilterTests {
    let parameters = OneEuroFilter.Parameters(minCutoff: 1, beta: 0, derivativeCutoff: 1)

    @Test func firstSamplePassesThroughThenLowPasses() {
        var filter = OneEuroFilter(parameters)
        #expect(filter.filter(10, at: 0) == 10)
        // beta 0: a plain low-pass with alpha = 1 / (1 + tau/dt), tau = 1/(2π).
        let alpha = 1 / (1 + 1 / (2 * Double.pi) / 0.1)
        #expect(abs(filter.filter(20, at: 0.1) - (10 + alpha * 10)) < 1e-12)
    }

    @Test func timestampsNotFrameCountsSetTheSmoothing() {
        // The same step seen after a longer gap is followed more closely.
        var fast = OneEuroFilter(parameters), slow = OneEuroFilter(parameters)
        _ = fast.filter(0, at: 0)
        _ = slow.filter(0, at: 0)
        #expect(slow.filter(1, at: 0.5) > fast.filter(1, at: 0.05))
    }

    @Test func speedRaisesTheCutoff() {
        var still = OneEuroFilter(OneEuroFilter.Parameters(minCutoff: 0.5, beta: 0, derivativeCutoff: 1))
        var eager = OneEuroFilter(OneEuroFilter.Parameters(minCutoff: 0.5, beta: 5, derivativeCutoff: 1))
        var a = 0.0, b = 0.0
        for i in 0...30 {
            a = still.filter(Double(i), at: Double(i) / 30)
            b = eager.filter(Double(i), at: Double(i) / 30)
        }
        #expect(30 - b < (30 - a) / 2, "beta must cut the lag on a steady ramp: \(a) vs \(b)")
    }

    @Test func repeatedTimestampDoesNotDivideByZero() {
        var filter = OneEuroFilter(parameters)
        _ = filter.filter(1, at: 1)
        #expect(filter.filter(5, at: 1) == 1)
        #expect(filter.filter(5, at: 2).isFinite)
    }
}

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

@Suite struct PersonTrackerTests {
    func observation(x: Double, y: Double = 0) -> PersonObservation {
        let keypoints = (0..<5).map { Keypoint(x: x + Double($0) * 10, y: y + Double($0) * 40, score: 0.9) }
        return PersonObservation(keypoints: keypoints, score: 0.9, crop: RotatedRect(center: Point2(x: x, y: y), width: 1, height: 1))
    }

    @Test func idsFollowPeopleAsTheyMoveAndSwapOrder() {
        var tracker = PersonTracker()
        let first = tracker.update([observation(x: 0), observation(x: 500)], at: 0)
        #expect(first.map(\.id) == [1, 2])
        let second = tracker.update([observation(x: 505), observation(x: 4)], at: 1.0 / 30)
        #expect(second.map(\.id) == [2, 1])
    }

    @Test func shortGapsKeepTheIdLongOnesDoNot() {
        var tracker = PersonTracker(maxGap: 0.5)
        _ = tracker.update([observation(x: 0)], at: 0)
        _ = tracker.update([], at: 0.2)
        #expect(tracker.update([observation(x: 2)], at: 0.4).map(\.id) == [1])
        _ = tracker.update([], at: 0.6)
        #expect(tracker.update([observation(x: 2)], at: 1.5).map(\.id) == [2])
    }

    @Test func aPersonLostForAMomentIsFoundAgainNearby() {
        var tracker = PersonTracker()
        _ = tracker.update([observation(x: 0), observation(x: 1500)], at: 0)
        _ = tracker.update([observation(x: 1500)], at: 0.3)
        // Back after a roll: moved by about one body diagonal, pose no longer alike.
        var rolled = observation(x: 120, y: 150)
        rolled.keypoints.reverse()
        #expect(tracker.update([observation(x: 1500), rolled], at: 0.6).map(\.id) == [2, 1])
    }

    @Test func strangersGetNewIds() {
        var tracker = PersonTracker()
        _ = tracker.update([observation(x: 0)], at: 0)
        #expect(tracker.update([observation(x: 0), observation(x: 2000, y: 900)], at: 0.03).map(\.id) == [1, 2])
    }

    @Test func duplicatePosesCollapseToTheBestScored() {
        var weaker = observation(x: 1)
        weaker.score = 0.5
        let kept = PoseSimilarity.removingDuplicates([weaker, observation(x: 0), observation(x: 900)], minScore: 0.5)
        #expect(kept.count == 2)
        #expect(kept[0].score == 0.9 && kept[0].keypoints[0].x == 0)
    }
}

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
        let anchors = try #require(pipeline.pose.newPerson).anchors.map { pipeline.keypoints.keypoints[$0] }
        #expect(anchors == ["left_shoulder", "right_shoulder", "left_hip", "right_hip"])
    }
}
