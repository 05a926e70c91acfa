import Dispatch
import Foundation
import PosePipeKit
import Synchronization

/// Everything a batch says on stderr while it runs: a failed clip's error line and each clip's
/// warnings always; on a terminal (without `--quiet`) also a line per finished clip and a
/// progress line with the overall count and every clip in flight.
final class BatchConsole: Sendable {
    private struct Running: Sendable {
        var clip: String
        var duration: Double?
        var frames = 0
        var pts = 0.0
    }

    private struct State: Sendable {
        var running: [Running] = []
        var finished = 0
        var frames = 0
        var lastDraw: UInt64 = 0
    }

    private let showProgress: Bool
    private let total: Int
    private let layout: BatchLayout
    private let start = DispatchTime.now()
    private let state = Mutex(State())

    /// - Parameter total: clips in this shard.
    init(showProgress: Bool, total: Int, layout: BatchLayout) {
        self.showProgress = showProgress
        self.total = total
        self.layout = layout
    }

    func handle(_ event: BatchEvent) {
        state.withLock { state in
            switch event {
            case .started(let clip, let duration):
                state.running.append(Running(clip: clip, duration: duration))
                draw(&state, force: true)
            case .frame(let clip, let frames, let pts):
                if let index = state.running.firstIndex(where: { $0.clip == clip }) {
                    state.frames += frames - state.running[index].frames
                    state.running[index].frames = frames
                    state.running[index].pts = pts
                }
                draw(&state, force: false)
            case .finished(let report):
                state.running.removeAll { $0.clip == report.clip }
                state.finished += 1
                let lines = Self.lines(for: report, source: layout.source(of: report.clip), verbose: showProgress)
                if !lines.isEmpty {
                    if showProgress { StandardError.status("") }
                    for line in lines { StandardError.line(line) }
                }
                draw(&state, force: true)
            }
        }
    }

    /// Clears the progress line, before the summary.
    func finish() {
        if showProgress { StandardError.status("") }
    }

    private static func lines(for report: ClipReport, source: String, verbose: Bool) -> [String] {
        var lines: [String] = []
        if report.status == .failed, let reason = report.reason { lines.append("posepipe: \(reason)") }
        if report.status == .busy {
            lines.append("posepipe: skipping \(source): another run is processing it (\(report.partial ?? "its partial file") is locked)")
        }
        lines += report.warnings.map { "posepipe: warning: \(source): \($0)" }
        if verbose && report.status == .done {
            lines.append(String(format: "posepipe: done %@: %d frames in %.1f s", source, report.frames, report.seconds))
        }
        return lines
    }

    private func draw(_ state: inout State, force: Bool) {
        guard showProgress else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        guard force || now - state.lastDraw > 200_000_000 else { return }
        state.lastDraw = now
        let elapsed = Double(now - start.uptimeNanoseconds) / 1e9
        var parts = [String(format: "[%d/%d clips] %d frames, %.1f fps", state.finished, total, state.frames,
                            Double(state.frames) / max(elapsed, 1e-9))]
        for clip in state.running {
            if let duration = clip.duration, duration > 0 {
                parts.append(String(format: "%@ %.0f%%", clip.clip, min(max(clip.pts / duration, 0), 1) * 100))
            } else {
                parts.append("\(clip.clip) \(clip.frames) frames")
            }
        }
        StandardError.status(parts.joined(separator: " | "))
    }
}
