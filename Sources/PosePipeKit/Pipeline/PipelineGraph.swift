import Dispatch

/// One run of a pipeline: its stages as a graph, each node with the stream it takes and the one it
/// gives (`PipelineStreams.swift`), as a MediaPipe graph file declares them.
///
///     node     takes                               gives                                 runs on
///     decode   the source (`FrameSource`)          frames                                the decode thread
///     look     a frame                             a `SeenFrame`: what is in it          workers, ahead, any order
///     follow   blocks of seen frames, in order     an `ObservedFrame` each               this thread, in order
///              + its loop's back edge              + its loop's back edge
///     track    an observed frame                   a `TrackedFrame`: ids, sides          this thread
///     smooth   a tracked frame                     `FrameResult`s, now or a window       this thread
///                                                  later; the rest at the end
///     sink     a result                            (the caller's)                        this thread
///
/// Decode and look run ahead (`LookAhead`); look and follow are the pipeline's own (`PersonFinding`),
/// track and smooth are every pipeline's. What depends on earlier frames runs in frame order on
/// decisions fixed by frame index, and every model session has one intra-op thread, so the output
/// is the same for any number of workers.
///
/// A live source (`LatencyBound.applies`) has a latency bound (`--max-latency`):
/// a frame the bound gives up on is skipped by the look worker or the follower, goes around
/// follow, tracking and smoothing filters, and reaches the sink marked skipped, in its place. The
/// follower's loop then goes on from the last frame it followed, and tracking and smoothing, which
/// count time by PTS, see the gap as time passing.
///
/// When a stage fails on frame n, frames 0..<n reach the sink, the smoothing window's held frames
/// included, and the run throws that one error. Of failures on several frames the earliest frame's
/// wins; this thread's (the follower's, the sink's) come in frame order and end the run at once.
struct PipelineGraph<Finding: PersonFinding> {
    let finding: Finding
    let options: PipelineOptions
    let clearScore: Double
    /// The keypoint set's mirror pairs (nil: it has none, so sides are not kept).
    let flip: [Int]?

    init(finding: Finding, options: PipelineOptions, description: PipelineDescription) {
        self.finding = finding
        self.options = options
        clearScore = description.clearScore
        let keypoints = description.keypoints
        flip = keypoints.flip == Array(0..<keypoints.count) ? nil : keypoints.flip
    }

    func run(_ source: some FrameSource, shouldStop: @escaping @Sendable () -> Bool,
             sink: (FrameResult) throws -> Void) throws -> RunSummary {
        let start = DispatchTime.now()
        let info = source.info
        let live = LatencyBound.applies(to: info)
        let timing = !live ? nil : options.maxLatency.map { LiveTiming(bound: LatencyBound(maxLatency: $0)) }
        let ahead = LookAhead(source: source, looks: finding.looks(options: options, info: info),
                              maxFrames: options.maxFrames ?? .max, timing: timing, shouldStop: shouldStop)
        var follower = finding.follower(options: options, info: info)
        var tracking = TrackingStage(options: options, clearScore: clearScore, flip: flip)
        var smoothing = options.smoothing.stage(for: info, clearScore: clearScore, keepsPixels: options.keepsPixels)
        var summary = RunSummary()
        var trackingSeconds = 0.0
        func emit(_ results: [FrameResult]) throws {
            let began = DispatchTime.now()
            for result in results {
                summary.sidesSwapped += result.people.filter(\.sidesSwapped).count
                try sink(result)
                summary.frames += 1
                summary.people += result.people.count
                if result.skipped { summary.skippedFrames += 1 }
            }
            summary.outputSeconds += began.secondsSince
        }
        var failure: (any Error)?
        var sinkFailed = false
        while let block = ahead.nextBlock(batch: options.frameBatch) {
            do {
                let began = DispatchTime.now()
                let (seen, skipped) = Self.split(block, timing: timing, newerWaiting: ahead.hasNext)
                let observed = seen.isEmpty ? [] : try follower.follow(seen)
                let tracked = DispatchTime.now()
                var results: [FrameResult] = []
                var next = observed.makeIterator()
                for frame in block.map(\.frame) {
                    if skipped.contains(frame.index) {
                        results += smoothing.skip(frame)
                    } else if let frame = next.next() {
                        results += smoothing.smooth(tracking.track(frame))
                    }
                }
                trackingSeconds += tracked.secondsSince
                sinkFailed = true
                try emit(results)
                sinkFailed = false
                if !seen.isEmpty { timing?.noteFollow(began.secondsSince / Double(seen.count)) }
            } catch {
                failure = error
                ahead.cancel()
                break
            }
        }
        if !sinkFailed {
            do { try emit(smoothing.finish()) } catch { failure = failure ?? error }
        }
        ahead.waitForEnd()
        if let failure { throw failure }
        if let failure = ahead.failure { throw failure }
        var times = follower.busy
        times[keyPath: Finding.lookTime] += ahead.busy.look
        summary.decodeSeconds = ahead.busy.decode
        summary.detectSeconds = times.detection
        summary.landmarkSeconds = times.landmarks
        summary.outputSeconds += times.tracking + trackingSeconds
        summary.corruptPackets = source.corruptPackets
        summary.lostFrames = source.lostFrames
        summary.live = live
        summary.seconds = start.secondsSince
        return summary
    }

    /// The frames of `block` the follower works on, and the indices of those skipped: by a look
    /// worker already, or here when the latency bound gives up on them (a later frame of the block,
    /// or the next block's first when `newerWaiting`, being newer).
    private static func split<Sight>(_ block: [LookedFrame<Sight>], timing: LiveTiming?, newerWaiting: Bool)
        -> (seen: [SeenFrame<Sight>], skipped: Set<Int>) {
        var seen: [SeenFrame<Sight>] = []
        var skipped: Set<Int> = []
        for (position, looked) in block.enumerated() {
            guard case .seen(let frame) = looked else {
                skipped.insert(looked.frame.index)
                continue
            }
            let newer = position < block.count - 1 || newerWaiting
            if let timing, timing.skipsFollow(due: frame.due, newerWaiting: newer) {
                skipped.insert(frame.frame.index)
            } else {
                seen.append(frame)
            }
        }
        return (seen, skipped)
    }
}
