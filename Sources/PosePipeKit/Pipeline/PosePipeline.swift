import Dispatch
import Foundation
import Synchronization

/// One frame's finished result, handed to the caller in frame order.
public struct FrameResult: Sendable {
    public var frame: VideoFrame
    public var people: [TrackedPerson]
}

/// What a run did, for summaries and `--verbose`.
public struct RunSummary: Sendable {
    public var frames = 0
    public var people = 0
    public var corruptPackets = 0
    public var seconds = 0.0
    /// Summed busy time of each stage, in seconds.
    public var decodeSeconds = 0.0
    public var analyzeSeconds = 0.0
    public var outputSeconds = 0.0
}

/// The staged pipeline: decode → (person crop → normalization → inference → peak extraction,
/// on `threads` parallel workers) → reorder → tracking → temporal smoothing → the caller's sink.
///
/// Stages are linked by bounded queues. Each frame is analysed independently of every other
/// and all order-dependent state (ids, filters) lives in the single in-order tail, so the output
/// is identical for any number of threads.
public final class PosePipeline: Sendable {
    public let description: PipelineDescription
    public let options: PipelineOptions
    private let analyzers: [FrameAnalyzer]

    public init(description: PipelineDescription, options: PipelineOptions) throws {
        self.description = description
        self.options = options
        analyzers = try (0..<max(1, options.threads)).map { _ in try FrameAnalyzer(pipeline: description) }
    }

    /// Runs `decoder` to its end (or `options.maxFrames`, or until `shouldStop` says so) and
    /// calls `sink` with every frame's result in order, on the calling thread.
    ///
    /// When a stage fails, every frame before the failing one has already reached `sink`.
    public func run(_ decoder: VideoDecoder, shouldStop: @escaping @Sendable () -> Bool = { false },
                    sink: (FrameResult) throws -> Void) throws -> RunSummary {
        let start = DispatchTime.now()
        let frames = BoundedQueue<VideoFrame>(capacity: 2 * analyzers.count)
        let results = ReorderBuffer<(VideoFrame, [PersonObservation])>(window: 4 * analyzers.count)
        let failure = Mutex<PosePipeError?>(nil)
        let stageTimes = Mutex<(decode: Double, analyze: Double)>((0, 0))
        let stages = DispatchGroup()
        let maxFrames = options.maxFrames ?? Int.max

        @Sendable func fail(_ error: any Error) {
            let stageError = error as? PosePipeError ?? .inferenceFailed(String(describing: error))
            failure.withLock { if $0 == nil { $0 = stageError } }
            frames.cancel()
            results.cancel()
        }

        let decodedCount = Mutex(0)
        DispatchQueue(label: "posepipe.decode").async(group: stages) {
            var count = 0
            do {
                while count < maxFrames, !shouldStop() {
                    let began = DispatchTime.now()
                    guard let frame = try decoder.next() else { break }
                    stageTimes.withLock { $0.decode += began.secondsSince }
                    guard frames.push(frame) else { break }
                    count += 1
                }
            } catch {
                fail(error)
            }
            decodedCount.withLock { $0 = count }
            frames.close()
        }

        let workers = DispatchGroup()
        for (n, analyzer) in analyzers.enumerated() {
            DispatchQueue(label: "posepipe.worker.\(n)").async(group: workers) {
                while let frame = frames.pop() {
                    let began = DispatchTime.now()
                    do {
                        let people = try analyzer.analyze(frame)
                        stageTimes.withLock { $0.analyze += began.secondsSince }
                        guard results.put((frame, people), at: frame.index) else { return }
                    } catch {
                        fail(error)
                        return
                    }
                }
            }
        }
        workers.notify(queue: .global()) {
            stages.wait()
            results.finish(count: decodedCount.withLock { $0 })
        }

        var summary = RunSummary()
        var tracker = PersonTracker(maxGap: options.trackGap)
        var smoother = TemporalSmoother(parameters: options.smoothing)
        var sinkError: (any Error)?
        while let (frame, observed) = results.take() {
            let began = DispatchTime.now()
            let tracked = tracker.update(observed, at: frame.pts)
            let people = smoother.smooth(tracked, at: frame.pts, activeIDs: tracker.activeIDs)
            do {
                try sink(FrameResult(frame: frame, people: people))
            } catch {
                sinkError = error
                frames.cancel()
                results.cancel()
                break
            }
            summary.frames += 1
            summary.people += people.count
            summary.outputSeconds += began.secondsSince
        }
        stages.wait()
        workers.wait()
        if let sinkError { throw sinkError }
        if let error = failure.withLock({ $0 }) { throw error }
        let times = stageTimes.withLock { $0 }
        summary.decodeSeconds = times.decode
        summary.analyzeSeconds = times.analyze
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
