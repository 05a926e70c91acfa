import Foundation
import Synchronization
import Testing
@testable import PosePipeKit

/// The composition of the stages (`PipelineGraph`), with stand-in detector and pose stages that
/// fail on a chosen frame, over real frames FFmpeg decodes from the pedestrians clip, written by
/// the real track writer: no ONNX Runtime. What a failure leaves is the promise these check:
/// frames 0..<n written whole (offline smoothing's held frames too), one error, its exit code.
@Suite struct PipelineGraphTests {
    /// The stage that fails.
    enum Failing: String, CaseIterable, Sendable {
        /// The workers' detector, running ahead of frame order.
        case detector
        /// The follower's own detector, searching in frame order while nobody is followed.
        case followersDetector
        /// The pose model, in the follower.
        case poseModel
        /// A multi-person model, running ahead.
        case multiPoseModel
        /// Decoding.
        case decoder
    }

    /// Finds one person in the middle of every frame; throws on frame `failAt`.
    final class Detector: PersonDetecting {
        let failAt: Int?
        let calls = Mutex<[Int]>([])
        init(failAt: Int? = nil) { self.failAt = failAt }

        func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
            calls.withLock { $0.append(frame.index) }
            if frame.index == failAt { throw PosePipeError.inferenceFailed("detector broke on frame \(frame.index)") }
            let w = Double(frame.displayWidth), h = Double(frame.displayHeight)
            return [Detection(box: Box(x: w * 0.4, y: h * 0.2, width: w * 0.2, height: h * 0.6), score: 0.9)]
        }
    }

    /// Sees a person of `keypoints` points spread over the crop's middle (nobody when `sees` is
    /// false); throws on frame `failAt`.
    struct Estimator: PoseEstimating {
        let keypoints: Int
        var failAt: Int?
        var sees = true
        let cropRule: any CropRule = BoxCropRule(padding: 1.25, inputWidth: 192, inputHeight: 256)

        func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate? {
            if frame.index == failAt { throw PosePipeError.inferenceFailed("pose model broke on frame \(frame.index)") }
            guard sees else { return nil }
            // As tall as the crop's box before its padding, so the crop that follows keeps its size.
            return PoseEstimate(keypoints: PipelineGraphTests.pose(keypoints, around: crop.center, size: crop.height / 1.25), presence: 0.9)
        }
    }

    /// Finds one person a frame by itself; throws on frame `failAt`.
    struct MultiPose: MultiPoseEstimating {
        let keypoints: Int
        var failAt: Int?

        func people(in frame: VideoFrame) throws -> [PersonObservation] {
            if frame.index == failAt { throw PosePipeError.inferenceFailed("multi-person model broke on frame \(frame.index)") }
            let centre = Point2(x: Double(frame.displayWidth) / 2, y: Double(frame.displayHeight) / 2)
            let crop = RotatedRect(center: centre, width: 100, height: 200)
            return [PersonObservation(keypoints: PipelineGraphTests.pose(keypoints, around: centre, size: 200), score: 0.9, crop: crop)]
        }
    }

    /// The real decoder, failing on frame `failAt` as a cut or broken input would.
    final class BreakingSource: FrameSource {
        let decoder: VideoDecoder
        let failAt: Int
        init(_ decoder: VideoDecoder, failAt: Int) {
            self.decoder = decoder
            self.failAt = failAt
        }

        var info: VideoInfo { decoder.info }
        var corruptPackets: Int { decoder.corruptPackets }
        func next() throws -> VideoFrame? {
            guard let frame = try decoder.next() else { return nil }
            if frame.index == failAt { throw PosePipeError.notAVideo(path: info.source, reason: "broken at frame \(failAt)") }
            return frame
        }
    }

    /// `count` clear keypoints down a narrow column centred on `centre`, `size` tall.
    static func pose(_ count: Int, around centre: Point2, size: Double) -> [Keypoint] {
        (0..<count).map { k in
            Keypoint(x: centre.x - 4 + Double(k % 3) * 4, y: centre.y - size / 2 + size * Double(k) / Double(count - 1), score: 0.9)
        }
    }

    /// A pipeline over stand-in stages of which `failing` breaks on `failAt` (no stage when nil).
    func pipeline(_ failing: Failing?, at failAt: Int, options: PipelineOptions) throws -> PosePipeline {
        if failing == .multiPoseModel {
            let description = try PipelineDescription.load("movenet")
            let models = (0..<options.threads).map { _ in MultiPose(keypoints: description.keypoints.count, failAt: failAt) as any MultiPoseEstimating }
            return PosePipeline(description: description, options: options,
                                finding: MultiPoseFinding(models: models, clearScore: description.clearScore))
        }
        let description = try PipelineDescription.load("blazepose")
        let estimators = (0..<options.threads).map { _ in
            Estimator(keypoints: description.keypoints.count, failAt: failing == .poseModel ? failAt : nil,
                      sees: failing != .followersDetector) as any PoseEstimating
        }
        let finding = TopDownFinding(detectors: [Detector(failAt: failing == .detector ? failAt : nil)],
                                     fallback: Detector(failAt: failing == .followersDetector ? failAt : nil),
                                     poses: PoseStage(estimators: estimators), newPerson: nil, clearScore: description.clearScore,
                                     follows: true)
        return PosePipeline(description: description, options: options, finding: finding)
    }

    /// Runs the pedestrians clip through `pipeline` into a track file; the file and the error. The
    /// decoder breaks on frame `decoderBreaksAt`, when given.
    func run(_ pipeline: PosePipeline, decoderBreaksAt: Int? = nil) throws -> (file: TrackFile, error: PosePipeError?) {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("tracks.jsonl").path
        let writer = try TrackWriter(path: path)
        let decoder = try VideoDecoder(source: Fixtures.pedestrians)
        var error: PosePipeError?
        do {
            if let decoderBreaksAt {
                _ = try TrackExport.run(BreakingSource(decoder, failAt: decoderBreaksAt), through: pipeline, into: writer)
            } else {
                _ = try TrackExport.run(decoder, through: pipeline, into: writer)
            }
        } catch let failure as PosePipeError {
            error = failure
        }
        try writer.close()
        return (try TrackFile(path: path), error)
    }

    @Test(arguments: Failing.allCases, [1, 2])
    func aStageFailingAtFrameNLeavesFramesBeforeItWrittenAndOneError(_ failing: Failing, threads: Int) throws {
        let failAt = 23
        // Offline smoothing (the default for a file) holds the last frames back: they are written on the
        // way out too. The workers' detector runs on every frame, the follower's when the workers' never do.
        let detectEvery = [Failing.detector: 1, .followersDetector: 1000][failing]
        let options = PipelineOptions(threads: threads, detectEvery: detectEvery)
        let (file, error) = try run(try pipeline(failing, at: failAt, options: options), decoderBreaksAt: failing == .decoder ? failAt : nil)
        #expect(file.frameIndices == Array(0..<failAt), "\(failing)")
        #expect(file.frames.allSatisfy { ($0["persons"] as? [Any])?.count == (failing == .followersDetector ? 0 : 1) })
        let failure = try #require(error, "\(failing)")
        #expect(failure.exitCode == (failing == .decoder ? 65 : 70))
        let said = ["detector": "detector broke on frame 23", "followersDetector": "detector broke on frame 23",
                    "poseModel": "pose model broke on frame 23", "multiPoseModel": "multi-person model broke on frame 23",
                    "decoder": "broken at frame 23"][failing.rawValue] ?? ""
        #expect(failure.description.hasSuffix(said) && !failure.description.contains("\n"), "\(failure)")
    }

    @Test func withoutAFailureEveryFrameIsWrittenWithItsPerson() throws {
        let (file, error) = try run(try pipeline(nil, at: 0, options: PipelineOptions(threads: 2)))
        #expect(error == nil)
        #expect(file.frameIndices == Array(0..<80))
        #expect(file.frames.allSatisfy { ($0["persons"] as? [Any])?.count == 1 })
    }

    /// Two stages failing on different frames: the output ends at the earlier, whichever stage and
    /// thread it was, and its error is the one reported.
    @Test(arguments: [(detector: 40, poses: 17), (detector: 9, poses: 30)])
    func theEarliestFramesFailureWins(_ frames: (detector: Int, poses: Int)) throws {
        let description = try PipelineDescription.load("blazepose")
        let detector = Detector(failAt: frames.detector)
        let estimators = (0..<2).map { _ in Estimator(keypoints: description.keypoints.count, failAt: frames.poses) as any PoseEstimating }
        let finding = TopDownFinding(detectors: [detector], fallback: Detector(), poses: PoseStage(estimators: estimators),
                                     newPerson: nil, clearScore: 0.5, follows: true)
        let pipeline = PosePipeline(description: description, options: PipelineOptions(threads: 2, smoothing: .off, detectEvery: 1),
                                    finding: finding)
        let (file, error) = try run(pipeline)
        let first = min(frames.detector, frames.poses)
        #expect(file.frameIndices == Array(0..<first))
        #expect(error == .inferenceFailed(first == frames.poses ? "pose model broke on frame \(first)" : "detector broke on frame \(first)"))
    }

    @Test func aSinkFailureEndsTheRunWithItsOwnError() throws {
        let pipeline = try pipeline(nil, at: 0, options: PipelineOptions(threads: 2, smoothing: .off))
        var written: [Int] = []
        #expect(throws: PosePipeError.outputClosed(path: "-")) {
            _ = try pipeline.run(try VideoDecoder(source: Fixtures.pedestrians)) { result in
                if result.frame.index == 12 { throw PosePipeError.outputClosed(path: "-") }
                written.append(result.frame.index)
            }
        }
        #expect(written == Array(0..<12))
    }

    /// The detection plan decides detection for workers and follower alike: a followed person costs
    /// detector runs only on the scheduled frames; the follower's own runs only while nobody is followed
    /// and, for the first sweep of the tiles, on the frames between the first detections.
    @Test func detectionRunsOnScheduledFramesOnlyWhileSomeoneIsFollowed() throws {
        let description = try PipelineDescription.load("blazepose")
        let workers = Detector(), follower = Detector()
        let finding = TopDownFinding(detectors: [workers], fallback: follower,
                                     poses: PoseStage(estimators: [Estimator(keypoints: description.keypoints.count)]),
                                     newPerson: nil, clearScore: 0.5, follows: true)
        let pipeline = PosePipeline(description: description, options: PipelineOptions(threads: 1, smoothing: .off, detectEvery: 7),
                                    finding: finding)
        var people: [Int] = []
        _ = try pipeline.run(try VideoDecoder(source: Fixtures.pedestrians)) { people.append($0.people.count) }
        #expect(people == Array(repeating: 1, count: 80))
        #expect(workers.calls.withLock { $0 } == Array(stride(from: 0, to: 80, by: 7)))
        // vtest's 768×576 frames have six tiles: frames 1–5 search theirs, frame 0 (a scheduled detection) its own.
        #expect(follower.calls.withLock { $0 } == [1, 2, 3, 4, 5])
    }
}
