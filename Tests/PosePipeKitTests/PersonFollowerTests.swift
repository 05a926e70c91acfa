import Foundation
import Synchronization
import Testing
@testable import PosePipeKit

/// The frame-ordered follower with stand-in stages in place of the models: a scripted scene in
/// which people walk at known speeds, so following, detection and duplicates can be checked
/// exactly and without ONNX Runtime.
@Suite struct PersonFollowerTests {
    /// A person of the scene: a 40×100 body whose box starts at `x0` and moves `speed` px a frame.
    struct Walker: Sendable {
        var x0: Double
        var speed: Double
        var torso = true

        func box(at frame: Int) -> Box { Box(x: x0 + speed * Double(frame), y: 100, width: 40, height: 100) }

        /// Four keypoints on the box's corners, the torso ones unclear for a phantom.
        func keypoints(at frame: Int) -> [Keypoint] {
            let b = box(at: frame)
            let s = torso ? 0.9 : 0.1
            return [Keypoint(x: b.x, y: b.y, score: 0.9), Keypoint(x: b.x + b.width, y: b.y, score: 0.9),
                    Keypoint(x: b.x, y: b.y + b.height, score: s), Keypoint(x: b.x + b.width, y: b.y + b.height, score: s)]
        }
    }

    /// Finds every walker whose box centre lies in the frame; counts its calls.
    final class SceneDetector: PersonDetecting {
        let walkers: [Walker]
        let calls = Mutex<[Int]>([])
        init(_ walkers: [Walker]) { self.walkers = walkers }

        func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
            calls.withLock { $0.append(frame.index) }
            return walkers.map { Detection(box: $0.box(at: frame.index), score: 0.9) }
        }
    }

    /// Sees the walker whose box centre lies inside the crop, as a pose model would.
    struct SceneEstimator: PoseEstimating {
        let walkers: [Walker]
        let rule: BoxCropRule
        var cropRule: any CropRule { rule }

        func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate? {
            guard let walker = walkers.first(where: { crop.contains($0.box(at: frame.index).center) }) else { return nil }
            return PoseEstimate(keypoints: walker.keypoints(at: frame.index), presence: 0.9)
        }
    }

    let rule = BoxCropRule(padding: 1.25, inputWidth: 192, inputHeight: 256)

    func frame(_ index: Int) -> VideoFrame {
        VideoFrame(index: index, pts: Double(index) / 30, width: 640, height: 360, rgb: [UInt8](repeating: 0, count: 640 * 360 * 3))
    }

    /// Runs `frames` frames through a follower over `walkers`, detecting every `interval` frames;
    /// each frame's people with their ids.
    func follow(_ walkers: [Walker], frames: Int, interval: Int, lanes: Int = 1,
                newPerson: PoseModelDescription.NewPersonRule? = nil, follows: Bool = true) throws -> (results: [[TrackedPerson]], detector: SceneDetector) {
        let detector = SceneDetector(walkers)
        let estimators = (0..<lanes).map { _ in SceneEstimator(walkers: walkers, rule: rule) as any PoseEstimating }
        var harness = FollowerHarness(detector: detector, estimators: estimators, interval: interval, newPerson: newPerson, follows: follows)
        let results = try (0..<frames).map { try harness.step(frame($0)) }
        return (results, detector)
    }

    @Test func aPersonIsFollowedBetweenDetectionsWithOneId() throws {
        let walker = Walker(x0: 100, speed: 4)
        let (results, detector) = try follow([walker], frames: 12, interval: 5)
        #expect(results.map { $0.count } == Array(repeating: 1, count: 12))
        #expect(Set(results.flatMap { $0.map(\.id) }) == [1])
        #expect(results[11][0].keypoints == walker.keypoints(at: 11))
        #expect(detector.calls.withLock { $0 } == [0, 5, 10], "only the scheduled detections ran")
    }

    @Test func withNobodyFollowedTheDetectorRunsOnEveryFrame() throws {
        let (results, detector) = try follow([], frames: 4, interval: 5)
        #expect(results.allSatisfy { $0.isEmpty })
        #expect(detector.calls.withLock { $0 } == [0, 1, 2, 3])
    }

    @Test func aDetectionOfSomeoneFollowedAddsNoSecondPerson() throws {
        let (results, _) = try follow([Walker(x0: 100, speed: 2), Walker(x0: 400, speed: -3)], frames: 10, interval: 1)
        #expect(results.allSatisfy { $0.count == 2 })
        #expect(Set(results.flatMap { $0.map(\.id) }) == [1, 2])
    }

    @Test func aFreshDetectionWithoutATorsoStartsNoTrack() throws {
        let rule = PoseModelDescription.NewPersonRule(anchors: [2, 3], minClear: 1, minScore: 0.5)
        let (results, _) = try follow([Walker(x0: 100, speed: 0), Walker(x0: 400, speed: 0, torso: false)],
                                      frames: 3, interval: 1, newPerson: rule)
        #expect(results.allSatisfy { $0.count == 1 && $0[0].keypoints[0].x == 100 })
    }

    @Test func withoutFollowingEachFramesCropIsItsDetections() throws {
        // A fast walker outruns a followed crop; a crop from each frame's own detection never loses him.
        let walker = Walker(x0: 0, speed: 60)
        let followed = try follow([walker], frames: 6, interval: 5).results
        let detected = try follow([walker], frames: 6, interval: 1, follows: false)
        #expect(detected.results.allSatisfy { $0.count == 1 })
        #expect(detected.detector.calls.withLock { $0 } == Array(0..<6))
        #expect(followed.contains { $0.isEmpty }, "the followed crop falls behind at 60 px a frame")
    }

    @Test func resultsDoNotDependOnHowManyLanesRunThePoses() throws {
        let walkers = [Walker(x0: 50, speed: 3), Walker(x0: 250, speed: 1), Walker(x0: 500, speed: -2)]
        let one = try follow(walkers, frames: 9, interval: 3, lanes: 1).results
        let three = try follow(walkers, frames: 9, interval: 3, lanes: 3).results
        #expect(one.map { $0.map(\.id) } == three.map { $0.map(\.id) })
        #expect(one.map { $0.map(\.keypoints) } == three.map { $0.map(\.keypoints) })
    }
}
