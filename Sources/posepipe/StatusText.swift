import PosePipeKit

/// `posepipe status` for a person: the counts first, then the clips that need a look.
struct StatusText {
    let status: BatchStatus
    /// Clips listed per state; the rest are counted (`--json` lists every clip).
    var limit = 20

    var lines: [String] {
        let layout = BatchLayout(input: status.input, output: status.output)
        var lines = ["\(status.input) → \(status.output): \(status.counts.summary)" + readFrom]
        for shard in status.shards {
            lines.append("  shard \(shard.shard): \(shard.counts.summary)" + (shard.report.map { " (report \($0))" } ?? " (no report)"))
        }
        let named: [(ClipState.State, String, (ClipState) -> String)] = [
            (.inFlight, "in flight", { "\($0.frames ?? 0) frames so far" }),
            (.failed, "failed", { state in (state.reason ?? "no reason reported") + (state.exitCode.map { " (exit \($0))" } ?? "") }),
            (.left, "left", { state in state.partial.map { "\(state.frames ?? 0) frames kept in \($0); the next run starts it again" } ?? "not started" }),
        ]
        for (state, word, detail) in named {
            let clips = status.clips.filter { $0.state == state }
            for clip in clips.prefix(limit) {
                let shard = clip.shard.map { " [shard \($0)]" } ?? ""
                lines.append("\(word): \(layout.source(of: clip.clip))\(shard): \(detail(clip))")
            }
            if clips.count > limit { lines.append("\(word): … and \(clips.count - limit) more (--json lists every clip)") }
        }
        return lines
    }

    private var readFrom: String {
        switch status.reports.count {
        case 0: return ""
        case 1: return " (1 report read)"
        default: return " (\(status.reports.count) reports read)"
        }
    }
}
