import Dispatch
import Synchronization

/// The part of the graph that runs ahead of frame order: a decode thread reads the source into a
/// bounded queue, `looks.count` workers each look at the frames they take from it, and a reorder
/// buffer hands out what they saw in frame order. Bounded queues keep memory flat however long the
/// video; a worker more than a window ahead of the oldest missing frame waits.
///
/// A failure on frame n (decoding it, or a look at it) ends the run there: every frame before n
/// still comes out, and `failure` then says why the frames ended.
///
/// With `timing` (a live source), each frame is stamped with when it was due, and a worker skips
/// the look at a frame the latency bound gives up on: the frame comes out marked skipped.
final class LookAhead<Look: FrameLooking>: Sendable {
    typealias Looked = LookedFrame<Look.Sight>

    /// A decoded frame and when it was due (0 when nothing is live).
    private struct Arrival: Sendable {
        var frame: VideoFrame
        var due: Double
    }

    private let frames: BoundedQueue<Arrival>
    private let seen: ReorderBuffer<Looked>
    private let timing: LiveTiming?
    private let failures = FirstFailure()
    private let decodeTime = Mutex(0.0)
    private let lookTime = Mutex(0.0)
    private let decoded = Mutex(0)
    private let decoding = DispatchGroup()
    private let looking = DispatchGroup()

    /// Frames a live source's queue holds at most (at 1768×994, 84 MB).
    static var liveQueue: Int { 16 }

    /// Starts decoding `source` (at most `maxFrames` frames, until `shouldStop` says so) and one
    /// worker per look.
    init(source: some FrameSource, looks: [Look], maxFrames: Int, timing: LiveTiming? = nil,
         shouldStop: @escaping @Sendable () -> Bool) {
        precondition(!looks.isEmpty, "a pipeline needs a worker")
        self.timing = timing
        // A live source's queue has room for the moments the workers wait on the follower, so that its
        // decoder, which never waits, only skips frames the workers could not have taken in time.
        frames = BoundedQueue(capacity: timing == nil ? 2 * looks.count : max(2 * looks.count, Self.liveQueue))
        seen = ReorderBuffer(window: 4 * looks.count)
        DispatchQueue(label: "posepipe.decode").async(group: decoding) { [self] in
            decode(source, maxFrames: maxFrames, shouldStop: shouldStop)
        }
        for (n, look) in looks.enumerated() {
            DispatchQueue(label: "posepipe.look.\(n)").async(group: looking) { [self] in
                work(look)
            }
        }
        looking.notify(queue: .global()) { [self] in
            decoding.wait()
            seen.finish(count: decoded.withLock { $0 })
        }
    }

    private func decode(_ source: some FrameSource, maxFrames: Int, shouldStop: @Sendable () -> Bool) {
        var count = 0
        do {
            while count < maxFrames, !shouldStop() {
                let began = DispatchTime.now()
                guard let frame = try timing.map({ timing in try source.next(withoutPixelsIf: timing.staleOnArrival) }) ?? source.next()
                else { break }
                decodeTime.withLock { $0 += began.secondsSince }
                guard queue(frame) else { break }
                count += 1
            }
        } catch {
            // Every frame decoded before the error is queued already and goes on through.
            failures.record(error, at: count)
        }
        decoded.withLock { $0 = count }
        frames.close()
    }

    /// Queues `frame` for the workers; false once nothing more is taken. A live source is read at its
    /// own pace: when the workers are behind and the queue is full, its oldest frame is skipped to make
    /// room, so the decode thread never waits and nothing piles up in FFmpeg's buffers below it, where
    /// a source faster than real time would hide the delay from the PTS clock.
    private func queue(_ frame: VideoFrame) -> Bool {
        guard let timing else { return frames.push(Arrival(frame: frame, due: 0)) }
        // Too late already when decoded: its pixels were never made.
        if frame.rgb.isEmpty { return skip(frame) }
        let (added, evicted) = frames.pushEvicting(Arrival(frame: frame, due: timing.due(frame)))
        if let evicted { skip(evicted.frame) }
        return added
    }

    /// Hands `frame` on as skipped, without its pixels; never waits for the reorder window.
    @discardableResult
    private func skip(_ frame: VideoFrame) -> Bool {
        seen.put(.skipped(frame.withoutPixels()), at: frame.index, beyondWindow: true)
    }

    private func work(_ look: Look) {
        while let arrival = frames.pop() {
            let frame = arrival.frame
            if let timing, timing.skipsLook(due: arrival.due, newerWaiting: !frames.isEmpty) {
                guard skip(frame) else { return }
                continue
            }
            do {
                let began = DispatchTime.now()
                let sight = try look.look(at: frame)
                let seconds = began.secondsSince
                lookTime.withLock { $0 += seconds }
                timing?.noteLook(seconds)
                guard seen.put(.seen(SeenFrame(frame: frame, sight: sight, due: arrival.due)), at: frame.index) else { return }
            } catch {
                // Frames before the failing one are still looked at and handed out, as promised.
                failures.record(error, at: frame.index)
                frames.cancel()
                seen.finish(count: frame.index)
                return
            }
        }
    }

    /// The next block of consecutive frames in order: the frames whose index / `batch` is equal,
    /// so blocks are fixed by index, not timing (the last may be shorter). nil after the last frame.
    func nextBlock(batch: Int) -> [Looked]? {
        guard let first = seen.take() else { return nil }
        var block = [first]
        while (first.frame.index + block.count) / batch == first.frame.index / batch, let next = seen.take() {
            block.append(next)
        }
        return block
    }

    /// Whether the frame after the last one handed out is ready now.
    var hasNext: Bool { seen.hasNext }

    /// Stops decoding and looking; nothing more comes out.
    func cancel() {
        frames.cancel()
        seen.cancel()
    }

    /// Waits for the decode thread and every worker to end.
    func waitForEnd() {
        decoding.wait()
        looking.wait()
    }

    /// Why the frames ended early, when a frame failed to decode or to be looked at.
    var failure: PosePipeError? { failures.error }

    /// Seconds spent decoding and looking, summed over the threads.
    var busy: (decode: Double, look: Double) { (decodeTime.withLock { $0 }, lookTime.withLock { $0 }) }
}
