import Dispatch
import Foundation
import Synchronization

/// One frame's finished result, handed to the caller in frame order.
public struct FrameResult: Sendable {
    /// The frame; with offline smoothing its pixels are dropped (`rgb` empty) unless
    /// `PipelineOptions.keepsPixels` says otherwise.
    public var frame: VideoFrame
    public var people: [TrackedPerson]
}

/// What a run did, for summaries and `--verbose`.
public struct RunSummary: Sendable {
    public var frames = 0
    public var people = 0
    /// Person-frames whose left and right keypoints were swapped back (`SideKeeper`).
    public var sidesSwapped = 0
    public var corruptPackets = 0
    public var seconds = 0.0
    /// Summed busy time of each stage, in seconds.
    public var decodeSeconds = 0.0
    public var detectSeconds = 0.0
    public var landmarkSeconds = 0.0
    public var outputSeconds = 0.0
}

/// The staged pipeline:
///
///     decode ─▶ person detection (parallel workers) ─▶ reorder ─▶ crop planning ─▶
///     normalization + inference + peak extraction (parallel over people) ─▶ tracking ─▶
///     left/right kept ─▶ temporal smoothing (online, or offline over a window) ─▶ the caller's sink
///
/// Stages are linked by bounded queues, so memory stays flat. Detection looks at each frame on
/// its own and runs ahead in parallel; everything that depends on earlier frames (crops that
/// follow a person, ids, filters) runs in frame order. Every model session has one intra-op
/// thread, so the output is identical for any number of workers.
public final class PosePipeline: Sendable {
    public let description: PipelineDescription
    public let options: PipelineOptions
    private let detectors: [any PersonDetecting]
    /// The tail's own detector, for frames the workers skipped while nobody was being followed.
    private let fallbackDetector: any PersonDetecting
    private let poses: PoseStage
    private let cropRule: any CropRule
    /// Detection workers running ahead of the frame-ordered tail (more than one from 8 threads).
    var detectionWorkers: Int { detectors.count }

    public init(description: PipelineDescription, options: PipelineOptions) throws {
        self.description = description
        self.options = options
        let factory = StageFactory(description)
        let workers = max(1, options.threads)
        // One detector run per detection frame costs a fraction of a frame's pose work, so
        // one detection worker keeps ahead up to four threads; more would only contend for cores.
        let detectorCount = max(1, workers / 4) + 1
        enum Session: Sendable {
            case detector(any PersonDetecting)
            case estimator(PoseEstimator)
        }
        let sessions = try buildConcurrently(detectorCount + workers) { index -> Session in
            index < detectorCount ? .detector(try factory.makeDetector()) : .estimator(try factory.makeEstimator())
        }
        var built: [any PersonDetecting] = []
        var estimators: [PoseEstimator] = []
        for session in sessions {
            switch session {
            case .detector(let detector): built.append(detector)
            case .estimator(let estimator): estimators.append(estimator)
            }
        }
        fallbackDetector = built.removeLast()
        detectors = built
        poses = PoseStage(estimators: estimators)
        let input = estimators[0].model.input
        cropRule = factory.cropRule(inputWidth: input.width, inputHeight: input.height)
    }

    /// Runs `decoder` to its end (or `options.maxFrames`, or until `shouldStop` says so) and
    /// calls `sink` with every frame's result in order, on the calling thread.
    ///
    /// When a stage fails, every frame before the failing one has already reached `sink`.
    public func run(_ decoder: VideoDecoder, shouldStop: @escaping @Sendable () -> Bool = { false },
                    sink: (FrameResult) throws -> Void) throws -> RunSummary {
        let start = DispatchTime.now()
        let frames = BoundedQueue<VideoFrame>(capacity: 2 * detectors.count)
        let detected = ReorderBuffer<(VideoFrame, [RotatedRect]?)>(window: 4 * detectors.count)
        // The failing stage's error and the frame it failed on; the earliest frame's error wins.
        let failure = Mutex<(index: Int, error: PosePipeError)?>(nil)
        let busy = Mutex<(decode: Double, detect: Double)>((0, 0))
        let decodedCount = Mutex(0)
        let producers = DispatchGroup()
        let maxFrames = options.maxFrames ?? Int.max
        let follows = StageFactory(description).followsPeople
        let schedule = DetectionSchedule(interval: follows ? options.detectionInterval(fps: decoder.info.fps) : 1,
                                         tiling: DetectionTiling(level: options.detectTiles))
        let cropRule = self.cropRule

        @Sendable func record(_ error: any Error, at index: Int) {
            let stageError = error as? PosePipeError ?? .inferenceFailed(String(describing: error))
            failure.withLock { if $0.map({ index < $0.index }) ?? true { $0 = (index, stageError) } }
        }

        // Frames before the failing one are still detected and handed to the sink, as promised.
        @Sendable func fail(_ error: any Error, at index: Int) {
            record(error, at: index)
            frames.cancel()
            detected.finish(count: index)
        }

        DispatchQueue(label: "posepipe.decode").async(group: producers) {
            var count = 0
            do {
                while count < maxFrames, !shouldStop() {
                    let began = DispatchTime.now()
                    guard let frame = try decoder.next() else { break }
                    busy.withLock { $0.decode += began.secondsSince }
                    guard frames.push(frame) else { break }
                    count += 1
                }
            } catch {
                // Every frame decoded before the error is queued already and goes on through.
                record(error, at: count)
            }
            decodedCount.withLock { $0 = count }
            frames.close()
        }

        let detection = DispatchGroup()
        for (n, detector) in detectors.enumerated() {
            DispatchQueue(label: "posepipe.detect.\(n)").async(group: detection) {
                while let frame = frames.pop() {
                    do {
                        var crops: [RotatedRect]?
                        if let tiles = schedule.scheduled(frame: frame.index, width: frame.displayWidth, height: frame.displayHeight) {
                            let began = DispatchTime.now()
                            crops = try detector.crops(in: frame, tiles: tiles, rule: cropRule)
                            busy.withLock { $0.detect += began.secondsSince }
                        }
                        guard detected.put((frame, crops), at: frame.index) else { return }
                    } catch {
                        fail(error, at: frame.index)
                        return
                    }
                }
            }
        }
        detection.notify(queue: .global()) {
            producers.wait()
            detected.finish(count: decodedCount.withLock { $0 })
        }

        var summary = RunSummary()
        let keypoints = description.keypoints
        let parts = PersonFollower.Parts(poses: poses, fallbackDetector: fallbackDetector, schedule: schedule, cropRule: cropRule,
                                         newPerson: description.pose.newPerson, clearScore: description.pose.clearScore,
                                         follows: follows, flip: keypoints.flip == Array(0..<keypoints.count) ? nil : keypoints.flip)
        let mode = options.smoothing.mode(for: decoder.info)
        var follower = PersonFollower(parts: parts, options: options, online: mode == .online ? options.smoothing.online : nil)
        var offline = mode == .offline
            ? FixedLagSmoother(parameters: options.smoothing.offline, fps: decoder.info.fps, minScore: description.pose.clearScore) : nil
        func emit(_ results: [FrameResult]) throws {
            let began = DispatchTime.now()
            for result in results {
                summary.sidesSwapped += result.people.filter(\.sidesSwapped).count
                try sink(result)
                summary.frames += 1
                summary.people += result.people.count
            }
            summary.outputSeconds += began.secondsSince
        }
        let batch = options.frameBatch
        var tailError: (any Error)?
        var sinkFailed = false
        while let first = detected.take() {
            do {
                // A block is the frames whose index / batch is equal: fixed by index, not timing.
                var block = [first]
                while (first.0.index + block.count) / batch == first.0.index / batch, let next = detected.take() {
                    block.append(next)
                }
                var results = try follower.process(block.map { (frame: $0.0, detected: $0.1) })
                if offline != nil {
                    for i in results.indices where !options.keepsPixels(results[i].frame.index) {
                        results[i].frame = results[i].frame.withoutPixels()
                    }
                    results = results.flatMap { offline!.push($0) }
                }
                sinkFailed = true
                try emit(results)
                sinkFailed = false
            } catch {
                tailError = error
                frames.cancel()
                detected.cancel()
                break
            }
        }
        // The offline smoother's window holds the last frames done: written on every way out (the end, a
        // stop, a failure) so the output never ends short of a frame that was finished.
        if !sinkFailed, offline != nil {
            do {
                try emit(offline!.finish())
            } catch {
                if tailError == nil { tailError = error }
            }
        }
        producers.wait()
        detection.wait()
        if let tailError { throw tailError }
        if let failed = failure.withLock({ $0 }) { throw failed.error }
        let times = busy.withLock { $0 }
        summary.decodeSeconds = times.decode
        summary.detectSeconds = times.detect + follower.busy.detection
        summary.landmarkSeconds = follower.busy.landmarks
        summary.outputSeconds += follower.busy.tracking
        summary.corruptPackets = decoder.corruptPackets
        summary.seconds = start.secondsSince
        return summary
    }
}

extension DispatchTime {
    /// Seconds from this instant to now.
    var secondsSince: Double {
        Double(DispatchTime.now().uptimeNanoseconds - uptimeNanoseconds) / 1e9
    }
}
