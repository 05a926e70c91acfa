import Foundation
import Synchronization
import Testing
@testable import PosePipeKit

/// `--max-people`: people beyond the limit are left out at crop planning, before pose inference.
/// A scripted scene of standing people of known heights, with stand-in stages that count the
/// pose model's runs.
@Suite struct MaxPeopleTests {
    struct Person: Sendable {
        var x: Double
        var height: Double
        /// First frame the person is in view.
        var from = 0
        /// First frame the person is out of view again.
        var until = Int.max

        func visible(at frame: Int) -> Bool { from <= frame && frame < until }

        func box() -> Box { Box(x: x, y: 300 - height, width: height * 0.4, height: height) }
        func keypoints() -> [Keypoint] {
            let b = box()
            return [Keypoint(x: b.x, y: b.y, score: 0.9), Keypoint(x: b.x + b.width, y: b.y, score: 0.9),
                    Keypoint(x: b.x, y: b.y + b.height, score: 0.9), Keypoint(x: b.x + b.width, y: b.y + b.height, score: 0.9)]
        }
    }

    final class Detector: PersonDetecting {
        let people: [Person]
        let runs = Mutex(0)
        init(_ people: [Person]) { self.people = people }
        func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
            runs.withLock { $0 += 1 }
            return people.filter { $0.visible(at: frame.index) }.map { Detection(box: $0.box(), score: 0.9) }
        }
    }

    final class Estimator: PoseEstimating {
        let people: [Person]
        let rule: BoxCropRule
        let runs = Mutex(0)
        var cropRule: any CropRule { rule }
        init(_ people: [Person], rule: BoxCropRule) {
            self.people = people
            self.rule = rule
        }
        func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate? {
            runs.withLock { $0 += 1 }
            guard let person = people.first(where: { $0.visible(at: frame.index) && crop.contains($0.box().center) }) else { return nil }
            return PoseEstimate(keypoints: person.keypoints(), presence: 0.9)
        }
    }

    let rule = BoxCropRule(padding: 1.25, inputWidth: 192, inputHeight: 256)

    func frame(_ index: Int) -> VideoFrame {
        VideoFrame(index: index, pts: Double(index) / 30, width: 800, height: 400, rgb: [UInt8](repeating: 0, count: 800 * 400 * 3))
    }

    /// Each frame's people's heights, the pose model's runs and the detector's, with detections deferred to the
    /// follower as the pipeline defers them under a limit (or not, to compare).
    func run(_ people: [Person], maxPeople: Int?, defers: Bool? = nil, frames: Int = 10) throws
        -> (heights: [[Double]], ids: Set<Int>, runs: Int, detections: Int) {
        let detector = Detector(people)
        let estimator = Estimator(people, rule: rule)
        var harness = FollowerHarness(detector: detector, estimators: [estimator], interval: 3, defers: defers ?? (maxPeople != nil),
                                      maxPeople: maxPeople)
        var heights: [[Double]] = []
        var ids = Set<Int>()
        for index in 0..<frames {
            let people = try harness.step(frame(index))
            heights.append(people.map { ($0.box.height * 10).rounded() / 10 }.sorted())
            ids.formUnion(people.map(\.id))
        }
        return (heights, ids, estimator.runs.withLock { $0 }, detector.runs.withLock { $0 })
    }

    let crowd = [Person(x: 50, height: 120), Person(x: 300, height: 200), Person(x: 550, height: 160)]

    @Test func everyoneWithoutALimit() throws {
        let all = try run(crowd, maxPeople: nil)
        #expect(all.heights == Array(repeating: [120, 160, 200], count: 10))
        #expect(all.runs == 30)
    }

    @Test func oneKeepsTheLargestPersonWithOneIdAndOneInferenceAFrame() throws {
        let one = try run(crowd, maxPeople: 1)
        #expect(one.heights == Array(repeating: [200], count: 10))
        #expect(one.ids == [1])
        #expect(one.runs == 3 + 9, "the first detection's people are all looked at, then only the one followed")
    }

    @Test func aFullLimitSkipsTheDetectorWithoutChangingTheResult() throws {
        for limit in [1, 2, 3] {
            let deferred = try run(crowd, maxPeople: limit)
            let eager = try run(crowd, maxPeople: limit, defers: false)
            #expect(deferred.heights == eager.heights && deferred.ids == eager.ids && deferred.runs == eager.runs, "limit \(limit)")
            #expect(eager.detections == 4, "frames 0, 3, 6 and 9")
            #expect(deferred.detections == 1, "limit \(limit): only the first, while places were free")
        }
        let four = try run(crowd, maxPeople: 4)
        #expect(four.detections == 4, "a free place keeps every scheduled detection")
        #expect(four.heights == Array(repeating: [120, 160, 200], count: 10))
    }

    @Test func aPlaceFreedByALostPersonIsSearchedAtTheNextScheduledDetection() throws {
        // The followed person is gone from frame 5; the other is in view from frame 2 but has no place until then.
        let scene = [Person(x: 50, height: 200, until: 5), Person(x: 400, height: 120, from: 2)]
        let deferred = try run(scene, maxPeople: 1)
        let eager = try run(scene, maxPeople: 1, defers: false)
        #expect(deferred.heights == [[200], [200], [200], [200], [200], [], [120], [120], [120], [120]])
        #expect(deferred.heights == eager.heights && deferred.runs == eager.runs)
        #expect(deferred.detections == 2, "frame 0 and frame 6 (frame 3's and 9's places were taken)")
    }

    @Test func twoKeepsTheTwoLargest() throws {
        let two = try run(crowd, maxPeople: 2)
        #expect(two.heights == Array(repeating: [160, 200], count: 10))
        #expect(two.runs == 3 + 2 * 9)
    }

    @Test func aFollowedPersonKeepsTheirPlaceWhenALargerOneArrives() throws {
        let scene = [Person(x: 50, height: 120), Person(x: 400, height: 250, from: 4)]
        let one = try run(scene, maxPeople: 1)
        #expect(one.heights == Array(repeating: [120], count: 10))
        #expect(one.ids == [1])
    }

    @Test func aDetectionThePoseModelRejectsDoesNotTakeThePlace() throws {
        // The largest detection is a phantom: the pose model sees nobody in it.
        final class Phantom: PersonDetecting {
            let people: [Person]
            init(_ people: [Person]) { self.people = people }
            func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
                [Detection(box: Box(x: 600, y: 0, width: 150, height: 390), score: 0.9)] + people.map { Detection(box: $0.box(), score: 0.9) }
            }
        }
        let people = [Person(x: 50, height: 120)]
        let estimator = Estimator(people, rule: rule)
        var harness = FollowerHarness(detector: Phantom(people), estimators: [estimator], interval: 3, defers: true, maxPeople: 1)
        for index in 0..<4 {
            #expect(try harness.step(frame(index)).count == 1, "frame \(index)")
        }
    }

    @Test func largestKeepsOrderAndPrefersTheEarlierOnTies() {
        let crops = [10.0, 30, 20, 30].map { RotatedRect(center: Point2(x: $0, y: 0), width: $0, height: $0, rotation: 0) }
        #expect(PersonCropPlanner.largest(2, of: crops).map(\.width) == [30, 30])
        #expect(PersonCropPlanner.largest(3, of: crops).map(\.center.x) == [30, 20, 30])
        #expect(PersonCropPlanner.largest(5, of: crops).count == 4)
    }
}
