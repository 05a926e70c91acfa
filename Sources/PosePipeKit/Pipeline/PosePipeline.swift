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
/// With a multi-person model (MoveNet) the parallel workers run it on every frame instead of
/// the detector, and its people go straight to tracking: no crops, no pose stage.
///
/// Stages are linked by bounded queues, so memory stays flat. Detection looks at each frame on
/// its own and runs ahead in parallel; everything that depends on earlier frames (crops that
/// follow a person, ids, filters) runs in frame order. Every model session has one intra-op
/// thread, so the output is identical for any number of workers.
public final class PosePipeline: Sendable {
    public let description: PipelineDescription
    public let options: PipelineOptions
    private let stages: Stages
    /// Detection workers running ahead of the frame-ordered tail (more than one from 8 threads;
    /// with a multi-person model, one per thread).
    var detectionWorkers: Int {
        switch stages {
        case .topDown(let detectors, _, _, _): detectors.count
        case .multiPose(let models): models.count
        }
    }

    /// The sessions a run uses.
    private enum Stages: Sendable {
        /// Detectors running ahead, the tail's own detector for frames they skipped while nobody
        /// was being followed, the pose stage and its crop rule.
        case topDown(detectors: [any PersonDetecting], fallback: any PersonDetecting, poses: PoseStage, cropRule: any CropRule)
        /// One multi-person session per worker, each running whole frames.
        case multiPose([any MultiPoseEstimating])
    }

    /// What the workers running ahead found in a frame.
    private enum Found: Sendable {
        /// What the person detector did for the frame.
        case detection(FrameDetection)
        case people([PersonObservation])

        var detection: FrameDetection {
            if case .detection(let detection) = self { detection } else { .none }
        }

        var people: [PersonObservation] {
            if case .people(let people) = self { people } else { [] }
        }
    }

    public init(description: PipelineDescription, options: PipelineOptions) throws {
        self.description = description
        self.options = options
        let factory = StageFactory(description)
        let workers = max(1, options.threads)
        if description.detector.multiPose != nil {
            // The model run is the whole of a frame's work, so every thread runs frames of its own.
            stages = .multiPose(try buildConcurrently(workers) { _ in try factory.makeMultiPose() })
            return
        }
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
        let fallback = built.removeLast()
        stages = .topDown(detectors: built, fallback: fallback, poses: PoseStage(estimators: estimators),
                          cropRule: estimators[0].decoder.cropRule)
    }

    /// Runs `decoder` to its end (or `options.maxFrames`, or until `shouldStop` says so) and
    /// calls `sink` with every frame's result in order, on the calling thread.
    ///
    /// When a stage fails, every frame before the failing one has already reached `sink`.
    public func run(_ decoder: VideoDecoder, shouldStop: @escaping @Sendable () -> Bool = { false },
                    sink: (FrameResult) throws -> Void) throws -> RunSummary {
        let start = DispatchTime.now()
        let frames = BoundedQueue<VideoFrame>(capacity: 2 * detectionWorkers)
        let detected = ReorderBuffer<(VideoFrame, Found)>(window: 4 * detectionWorkers)
        // The failing stage's error and the frame it failed on; the earliest frame's error wins.
        let failure = Mutex<(index: Int, error: PosePipeError)?>(nil)
        let busy = Mutex<(decode: Double, detect: Double)>((0, 0))
        let decodedCount = Mutex(0)
        let producers = DispatchGroup()
        let maxFrames = options.maxFrames ?? Int.max
        let follows = StageFactory(description).followsPeople
        let schedule = DetectionSchedule(interval: follows ? options.detectionInterval(fps: decoder.info.fps) : 1,
                                         tiling: DetectionTiling(level: options.detectTiles))
        // With --max-people, a detection can only matter while a place is free, which the follower knows
        // in frame order: a lone followed subject then costs no detector runs at all, as in MediaPipe.
        let defersDetection = options.maxPeople != nil && follows

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

        // Each worker's look at one frame, which depends on no other frame.
        let workers: [@Sendable (VideoFrame) throws -> Found]
        switch stages {
        case .topDown(let detectors, _, _, let cropRule):
            workers = detectors.map { detector in
                { frame in
                    let tiles = schedule.scheduled(frame: frame.index, width: frame.displayWidth, height: frame.displayHeight)
                    return .detection(try FrameDetection.scheduled(tiles: tiles, defers: defersDetection) { tiles in
                        let began = DispatchTime.now()
                        defer { busy.withLock { $0.detect += began.secondsSince } }
                        return try detector.crops(in: frame, tiles: tiles, rule: cropRule)
                    })
                }
            }
        case .multiPose(let models):
            workers = models.map { model in
                { frame in
                    let began = DispatchTime.now()
                    defer { busy.withLock { $0.detect += began.secondsSince } }
                    return .people(try model.people(in: frame))
                }
            }
        }
        let detection = DispatchGroup()
        for (n, work) in workers.enumerated() {
            DispatchQueue(label: "posepipe.detect.\(n)").async(group: detection) {
                while let frame = frames.pop() {
                    do {
                        guard detected.put((frame, try work(frame)), at: frame.index) else { return }
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
        let flip = keypoints.flip == Array(0..<keypoints.count) ? nil : keypoints.flip
        let clearScore = description.clearScore
        let mode = options.smoothing.mode(for: decoder.info)
        let online = mode == .online ? options.smoothing.online : nil
        // Exactly one of the two follows people, as `stages` says.
        var follower: PersonFollower?
        var multiPoseFollower: MultiPoseFollower?
        switch stages {
        case .topDown(_, let fallback, let poses, let cropRule):
            let parts = PersonFollower.Parts(poses: poses, fallbackDetector: fallback, schedule: schedule, cropRule: cropRule,
                                             newPerson: description.pose?.newPerson, clearScore: clearScore, follows: follows, flip: flip)
            follower = PersonFollower(parts: parts, options: options, online: online)
        case .multiPose:
            multiPoseFollower = MultiPoseFollower(options: options, clearScore: clearScore, flip: flip, online: online)
        }
        var offline = mode == .offline
            ? FixedLagSmoother(parameters: options.smoothing.offline, fps: decoder.info.fps, minScore: clearScore) : nil
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
                var results = follower != nil
                    ? try follower!.process(block.map { (frame: $0.0, detected: $0.1.detection) })
                    : block.map { multiPoseFollower!.process($0.0, people: $0.1.people) }
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
        if let follower {
            summary.detectSeconds = times.detect + follower.busy.detection
            summary.landmarkSeconds = follower.busy.landmarks
            summary.outputSeconds += follower.busy.tracking
        } else {
            // A multi-person model's run finds the people and their keypoints at once: its time is the pose stage's.
            summary.landmarkSeconds = times.detect
        }
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
