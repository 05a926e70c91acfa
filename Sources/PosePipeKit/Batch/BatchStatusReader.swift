import Foundation

extension BatchStatus {
    /// Reads where `input`'s clips stand in `output`, with the reports in `reportFolder` (if any)
    /// for failures' reasons and the shard count. Probes only clips without a finished output
    /// (to tell video from other files); opens no model and decodes no frame.
    /// - Returns: the status, and notes on what was not read (for stderr).
    public static func read(input: String, output: String, reportFolder: String?) throws -> (status: BatchStatus, notes: [String]) {
        guard FileSystem.names(in: input) != nil else {
            throw PosePipeError.inputUnreadable(path: input, reason: "cannot list the folder: \(FileSystem.lastError)")
        }
        let layout = BatchLayout(input: input, output: output)
        let catalog = ClipCatalog.scan(folder: input, excluding: output, known: layout.isDone)
        let reports = reportFolder.map { ShardReports.read(folder: $0, output: output) } ?? ShardReports()
        let count = reports.shardCount
        let clips = catalog.clips.enumerated().map { position, clip in
            var state = state(of: clip, in: layout, reports: reports)
            state.shard = count.map { position % $0 }
            return state
        }
        return (BatchStatus(input: input, output: output, reports: reports, clips: clips, notVideo: catalog.skipped), reports.notes)
    }

    /// A finished output wins; then a locked partial (a run on it now); then the newest report
    /// that processed it, when it says failed; anything else is left to the next run.
    static func state(of clip: String, in layout: BatchLayout, reports: ShardReports) -> ClipState {
        let output = layout.output(of: clip), partial = layout.partial(of: clip)
        if FileSystem.status(output) != nil { return ClipState(clip: clip, state: .done, output: output) }
        var state = ClipState(clip: clip, state: .left)
        if let held = ClipClaim.isHeld(partial) {
            state.partial = partial
            // The first line is the header; the rest are frames.
            state.frames = FileBytes.completeLines(partial).map { max(0, $0 - 1) }
            if held {
                state.state = .inFlight
                return state
            }
        }
        if let outcome = reports.lastOutcome(of: clip), outcome.status == .failed {
            state.state = .failed
            state.reason = outcome.reason
            state.exitCode = outcome.exitCode
        }
        return state
    }
}
