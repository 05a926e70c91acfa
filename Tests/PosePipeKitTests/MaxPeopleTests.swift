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

        func box() -> Box { Box(x: x, y: 300 - height, width: height * 0.4, height: height) }
        func keypoints() -> [Keypoint] {
            let b = box()
            return [Keypoint(x: b.x, y: b.y, score: 0.9), Keypoint(x: b.x + b.width, y: b.y, score: 0.9),
                    Keypoint(x: b.x, y: b.y + b.height, score: 0.9), Keypoint(x: b.x + b.width, y: b.y + b.height, score: 0.9)]
        }
    }

    final class Detector: PersonDetecting {
        let people: [Person]
        init(_ people: [Person]) { self.people = people }
        func detect(in frame: VideoFrame, tiles: [RotatedRect]) throws -> [Detection] {
            people.filter { $0.from <= frame.index }.map { Detection(box: $0.box(), score: 0.9) }
        }
    }

    final class Estimator: PoseEstimating {
        let people: [Person]
        let rule: BoxCropRule
        let runs = Mutex(0)
        init(_ people: [Person], rule: BoxCropRule) {
            self.people = people
            self.rule = rule
        }
        func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate? {
            runs.withLock { $0 += 1 }
            guard let person = people.first(where: { $0.from <= frame.index && crop.contains($0.box().center) }) else { return nil }
            return PoseEstimate(keypoints: person.keypoints(), presence: 0.9, nextCrop: rule.crop(following: person.keypoints(), points: nil))
        }
    }

    let rule = BoxCropRule(padding: 1.25, inputWidth: 192, inputHeight: 256)

    /// Each frame's people's heights, and the pose model's runs.
    func run(_ people: [Person], maxPeople: Int?, frames: Int = 10) throws -> (heights: [[Double]], ids: Set<Int>, runs: Int) {
        let detector = Detector(people)
        let estimator = Estimator(people, rule: rule)
        let schedule = DetectionSchedule(interval: 3, tiling: DetectionTiling(level: 0))
        let parts = PersonFollower.Parts(poses: PoseStage(estimators: [estimator]), fallbackDetector: detector, schedule: schedule,
                                         cropRule: rule, newPerson: nil, clearScore: 0.5)
        var follower = PersonFollower(parts: parts, options: PipelineOptions(smoothing: .off, maxPeople: maxPeople), online: nil)
        var heights: [[Double]] = []
        var ids = Set<Int>()
        for index in 0..<frames {
            let frame = VideoFrame(index: index, pts: Double(index) / 30, width: 800, height: 400, rgb: [UInt8](repeating: 0, count: 800 * 400 * 3))
            let detected = try schedule.scheduled(frame: index, width: 800, height: 400).map { try detector.crops(in: frame, tiles: $0, rule: rule) }
            for result in try follower.process([(frame, detected)]) {
                heights.append(result.people.map { ($0.box.height * 10).rounded() / 10 }.sorted())
                ids.formUnion(result.people.map(\.id))
            }
        }
        return (heights, ids, estimator.runs.withLock { $0 })
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
            func detect(in frame: VideoFrame, tiles: [RotatedRect]) throws -> [Detection] {
                [Detection(box: Box(x: 600, y: 0, width: 150, height: 390), score: 0.9)] + people.map { Detection(box: $0.box(), score: 0.9) }
            }
        }
        let people = [Person(x: 50, height: 120)]
        let estimator = Estimator(people, rule: rule)
        let schedule = DetectionSchedule(interval: 3, tiling: DetectionTiling(level: 0))
        let parts = PersonFollower.Parts(poses: PoseStage(estimators: [estimator]), fallbackDetector: Phantom(people), schedule: schedule,
                                         cropRule: rule, newPerson: nil, clearScore: 0.5)
        var follower = PersonFollower(parts: parts, options: PipelineOptions(smoothing: .off, maxPeople: 1), online: nil)
        for index in 0..<4 {
            let frame = VideoFrame(index: index, pts: Double(index) / 30, width: 800, height: 400, rgb: [UInt8](repeating: 0, count: 800 * 400 * 3))
            let results = try follower.process([(frame, nil)])
            #expect(results[0].people.count == 1, "frame \(index)")
        }
    }

    @Test func largestKeepsOrderAndPrefersTheEarlierOnTies() {
        let crops = [10.0, 30, 20, 30].map { RotatedRect(center: Point2(x: $0, y: 0), width: $0, height: $0, rotation: 0) }
        #expect(PersonCropPlanner.largest(2, of: crops).map(\.width) == [30, 30])
        #expect(PersonCropPlanner.largest(3, of: crops).map(\.center.x) == [30, 20, 30])
        #expect(PersonCropPlanner.largest(5, of: crops).count == 4)
    }
}
