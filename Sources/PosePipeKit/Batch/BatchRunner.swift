import Dispatch
import Foundation

/// Runs the clips of a folder: several at once, each into its own track file, one bad clip never
/// stopping the others.
///
/// Each job owns one `PosePipeline` (its model sessions are built once and reused clip after clip).
/// The command line gives each of `--jobs N` pipelines `max(1, threads / N)` inference workers, so
/// N clips in flight share the `--threads` budget instead of multiplying it.
public final class BatchRunner: Sendable {
    public let layout: BatchLayout
    /// Process clips whose output already exists again, replacing it once the clip completes.
    public let overwrite: Bool
    private let pipelines: [PosePipeline]

    /// - Parameter pipelines: one per job; as many clips run at once.
    public init(layout: BatchLayout, pipelines: [PosePipeline], overwrite: Bool = false) {
        precondition(!pipelines.isEmpty, "a batch needs at least one pipeline")
        self.layout = layout
        self.pipelines = pipelines
        self.overwrite = overwrite
    }

    /// Runs `shard`'s share of `catalog` and reports on every clip of it.
    ///
    /// When `shouldStop` turns true, clips in flight stop at their next frame, keep what they wrote
    /// in their `.partial` files, and no other clip starts. `observe` is called from the jobs' threads.
    /// - Parameter start: when the batch began (before the folder was scanned), for the wall time.
    public func run(_ catalog: ClipCatalog, shard: Shard = .whole, since start: DispatchTime = .now(),
                    shouldStop: @escaping @Sendable () -> Bool = { false },
                    observe: @escaping @Sendable (BatchEvent) -> Void = { _ in }) -> BatchReport {
        let mine = shard.select(catalog.clips)
        var finished: [String: ClipReport] = [:]
        var todo: [String] = []
        for clip in mine {
            if !overwrite && layout.isDone(clip) {
                let report = ClipReport(clip: clip, status: .skipped, output: layout.output(of: clip))
                finished[clip] = report
                observe(.finished(report))
            } else {
                todo.append(clip)
            }
        }
        let queue = ClipQueue(todo)
        let jobs = DispatchGroup()
        for pipeline in pipelines.prefix(todo.count) {
            jobs.enter()
            // Threads of their own: a job blocks on its pipeline for a whole clip at a time.
            Thread { [self] in
                defer { jobs.leave() }
                while !shouldStop(), let (position, clip) = queue.take() {
                    let report = process(clip, with: pipeline, shouldStop: shouldStop, observe: observe)
                    queue.finish(position, report)
                    observe(.finished(report))
                }
            }.start()
        }
        jobs.wait()
        let processed = queue.reports { ClipReport(clip: $0, status: .pending) }
        for report in processed { finished[report.clip] = report }
        let clips = mine.compactMap { finished[$0] }
        return BatchReport(input: layout.input, output: layout.output, shard: shard, clips: clips,
                           notVideo: catalog.skipped, seconds: start.secondsSince)
    }

    private func process(_ clip: String, with pipeline: PosePipeline, shouldStop: @escaping @Sendable () -> Bool,
                         observe: @Sendable (BatchEvent) -> Void) -> ClipReport {
        let began = DispatchTime.now()
        var report = ClipReport(clip: clip, status: .failed)
        var decoder: VideoDecoder?
        var claim: ClipClaim?
        var frames = 0
        let partial = layout.partial(of: clip), final = layout.output(of: clip)
        do {
            try BatchLayout.makeFolder(OutputFiles.split(partial).folder)
            // Claimed before the clip is opened: a clip another run has is not read twice.
            switch try ClipClaim.claim(partial: partial, final: final, overwrite: overwrite) {
            case .busy:
                report.status = .busy
                report.partial = partial
            case .finished:
                report.status = .skipped
                report.output = final
            case .claimed(let held):
                claim = held
                let opened = try VideoDecoder(source: layout.source(of: clip), shouldStop: shouldStop)
                decoder = opened
                observe(.started(clip: clip, duration: opened.info.duration))
                let writer = try held.writer()
                _ = try TrackExport.run(opened, through: pipeline, into: writer, shouldStop: shouldStop) { frame in
                    frames = frame.index + 1
                    observe(.frame(clip: clip, frames: frames, pts: frame.pts))
                }
                try writer.close()
                if opened.reachedEnd {
                    try held.publish()
                    report.status = .done
                    report.output = final
                } else {
                    report.status = .interrupted
                }
            }
        } catch PosePipeError.interrupted {
            report.status = .pending
        } catch {
            let failure = error as? PosePipeError ?? .inferenceFailed(String(describing: error))
            report.reason = failure.description
            report.exitCode = failure.exitCode
        }
        if let claim, report.status != .done {
            // A stopped clip keeps its complete lines; a partial with none is no use to anyone.
            if claim.isEmpty {
                claim.discard()
            } else {
                report.partial = partial
                claim.release()
            }
        }
        report.frames = frames
        report.warnings = decoder?.warnings ?? []
        report.seconds = began.secondsSince
        return report
    }
}
