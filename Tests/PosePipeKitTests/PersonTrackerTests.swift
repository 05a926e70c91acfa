import Foundation
import Testing
@testable import PosePipeKit

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
}
