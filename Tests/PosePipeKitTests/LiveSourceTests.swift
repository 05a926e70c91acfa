import Foundation
import Synchronization
import Testing
@testable import PosePipeKit

/// A live source faster than the pipeline, through the real graph (`PipelineGraph`) with stand-in
/// detector and pose stages that take their time: no ONNX Runtime. Frames the latency bound gives
/// up on come out in their place, marked skipped; the others keep their person and id.
@Suite(.serialized) struct LiveSourceTests {
    /// The pedestrians clip's frames, decoded by FFmpeg, handed out at `fps` in real time as a network
    /// stream would (no end known), with timestamps to match; `source` names where they seem to come from.
    final class PacedSource: FrameSource {
        let frames: [VideoFrame]
        let fps: Double
        let info: VideoInfo
        private let handedOut = Mutex(0)
        var corruptPackets: Int { 0 }

        init(fps: Double, source: String = "udp://127.0.0.1:9", declaredLive: Bool = false) throws {
            let decoder = try VideoDecoder(source: Fixtures.pedestrians)
            var frames: [VideoFrame] = []
            while let frame = try decoder.next() {
                frames.append(VideoFrame(index: frame.index, pts: Double(frame.index) / fps, width: frame.width, height: frame.height,
                                         rgb: frame.rgb))
            }
            self.frames = frames
            self.fps = fps
            var info = decoder.info
            info.source = source
            info.declaredLive = declaredLive
            info.duration = nil
            info.fps = fps
            self.info = info
        }

        func next() throws -> VideoFrame? {
            let index = handedOut.withLock { n in
                defer { n += 1 }
                return n
            }
            guard index < frames.count else { return nil }
            Thread.sleep(forTimeInterval: 1 / fps)
            return frames[index]
        }
    }

    /// The graph tests' pose stand-in, `seconds` slower a crop.
    struct SlowEstimator: PoseEstimating {
        let inner: PipelineGraphTests.Estimator
        let seconds: Double
        var cropRule: any CropRule { inner.cropRule }

        func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate? {
            Thread.sleep(forTimeInterval: seconds)
            return try inner.estimate(in: frame, crop: crop)
        }
    }

    func run(_ source: some FrameSource, maxLatency: Double?, smoothing: Smoothing.Mode) throws -> (results: [FrameResult], summary: RunSummary) {
        let description = try PipelineDescription.load("blazepose")
        let estimator = SlowEstimator(inner: PipelineGraphTests.Estimator(keypoints: description.keypoints.count), seconds: 0.03)
        let finding = TopDownFinding(detectors: [PipelineGraphTests.Detector()], fallback: PipelineGraphTests.Detector(),
                                     poses: PoseStage(estimators: [estimator]), newPerson: nil, clearScore: 0.5, follows: true)
        let options = PipelineOptions(threads: 1, smoothing: Smoothing(mode: smoothing), maxLatency: maxLatency)
        let pipeline = PosePipeline(description: description, options: options, finding: finding)
        var results: [FrameResult] = []
        let summary = try pipeline.run(source) { results.append($0) }
        return (results, summary)
    }

    @Test(arguments: [Smoothing.Mode.online, .offline])
    func staleFramesAreSkippedInTheirPlaceAndTheNewestIsWorkedOn(_ smoothing: Smoothing.Mode) throws {
        // 100 frames a second against 30 ms of pose work a frame: about two in three must go.
        let source = try PacedSource(fps: 100)
        let (results, summary) = try run(source, maxLatency: 0.05, smoothing: smoothing)
        #expect(results.map(\.frame.index) == Array(0..<source.frames.count))
        let skipped = results.filter(\.skipped)
        let processed = results.filter { !$0.skipped }
        #expect(skipped.count > 0)
        #expect(summary.skippedFrames == skipped.count)
        #expect(summary.frames == source.frames.count)
        #expect(skipped.allSatisfy { $0.people.isEmpty })
        // The newest frame is never given up on: the last one is always worked on.
        #expect(results.last?.skipped == false)
        #expect(processed.count >= 5, "\(processed.count) processed")
        // Tracking counts time by PTS: the person keeps one id across the skipped frames.
        #expect(processed.allSatisfy { $0.people.count == 1 })
        #expect(Set(processed.flatMap { $0.people.map(\.id) }).count == 1)
    }

    @Test func aFullLiveQueueMakesRoomByItsOldestFrameWithoutWaiting() {
        let queue = BoundedQueue<Int>(capacity: 2)
        #expect(queue.pushEvicting(1) == (true, nil))
        #expect(queue.pushEvicting(2) == (true, nil))
        #expect(queue.pushEvicting(3) == (true, 1))
        #expect(queue.pop() == 2 && queue.pop() == 3 && queue.isEmpty)
        queue.close()
        #expect(queue.pushEvicting(4) == (false, nil))
    }

    @Test func aFrameTooLateWhenDecodedComesWithoutItsPixels() throws {
        let decoder = try VideoDecoder(source: Fixtures.pedestrians)
        var frames: [VideoFrame] = []
        while let frame = try decoder.next(withoutPixelsIf: { $0 < 0.45 }) { frames.append(frame) }
        #expect(frames.map(\.index) == Array(0..<80))
        #expect(frames.map { $0.rgb.isEmpty } == (0..<80).map { $0 < 5 })
        #expect(frames.allSatisfy { $0.width == 768 && $0.height == 576 && abs($0.pts - Double($0.index) / 10) < 1e-9 })
    }

    @Test func withoutABoundEveryFrameIsWorkedOn() throws {
        let (results, summary) = try run(try PacedSource(fps: 100), maxLatency: nil, smoothing: .online)
        #expect(results.map(\.frame.index) == Array(0..<80))
        #expect(summary.skippedFrames == 0 && results.allSatisfy { !$0.skipped && $0.people.count == 1 })
    }

    /// A camera piped in through FFmpeg looks like a file piped in: only the user can say which (`--live`).
    @Test(arguments: [false, true])
    func standardInputIsSkippedOnlyWhenDeclaredLive(_ declared: Bool) throws {
        let (results, summary) = try run(try PacedSource(fps: 100, source: "-", declaredLive: declared), maxLatency: 0.05, smoothing: .online)
        #expect(results.map(\.frame.index) == Array(0..<80))
        #expect(summary.live == declared)
        #expect((summary.skippedFrames > 0) == declared, "\(summary.skippedFrames) skipped")
        #expect(results.filter(\.skipped).count == summary.skippedFrames)
    }

    @Test func aFileIsNeverSkippedHoweverSlowThePipeline() throws {
        let (results, summary) = try run(try VideoDecoder(source: Fixtures.pedestrians), maxLatency: 0.001, smoothing: .online)
        #expect(results.count == 80 && summary.skippedFrames == 0 && results.allSatisfy { !$0.skipped })
        #expect(!summary.live)
    }
}
