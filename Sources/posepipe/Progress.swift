import Dispatch
import Foundation
import PosePipeKit

/// The progress line on a terminal: frames, speed, and percent and ETA when the length is known.
final class Progress {
    private let enabled: Bool
    private let duration: Double?
    private let start = DispatchTime.now()
    private var lastDraw = DispatchTime(uptimeNanoseconds: 0)

    init(enabled: Bool, duration: Double?) {
        self.enabled = enabled
        self.duration = duration
    }

    func update(frames: Int, pts: Double) {
        guard enabled else { return }
        let now = DispatchTime.now()
        guard now.uptimeNanoseconds - lastDraw.uptimeNanoseconds > 200_000_000 else { return }
        lastDraw = now
        let elapsed = Double(now.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        var text = "\(frames) frames, \(String(format: "%.1f", Double(frames) / max(elapsed, 1e-9))) fps"
        if let duration, duration > 0 {
            let done = min(max(pts / duration, 0), 1)
            text += String(format: ", %.0f%%", done * 100)
            if done > 0.01 { text += String(format: ", ETA %.0f s", elapsed * (1 - done) / done) }
        }
        StandardError.status(text)
    }

    func finish() {
        if enabled { StandardError.status("") }
    }
}

extension RunSummary {
    /// A live run's account of its frames, when some were skipped or lost: every frame the source
    /// sent is processed, skipped on purpose, or lost before posepipe.
    func liveAccount(maxLatency: Double) -> String? {
        guard skippedFrames > 0 || lostFrames > 0 else { return nil }
        return String(format: "%d frames processed, %d skipped to stay within --max-latency %g s, %d lost before posepipe",
                      frames - skippedFrames, skippedFrames, maxLatency, lostFrames)
    }

    /// Per-stage timings for `--verbose`.
    var report: String {
        String(format: "%d frames, %d person-frames (%d with left and right swapped back) in %.2f s (%.1f fps); stage busy time: decode %.2f s, detection %.2f s, landmarks %.2f s, tracking+output %.2f s",
               frames, people, sidesSwapped, seconds, Double(frames) / max(seconds, 1e-9), decodeSeconds, detectSeconds, landmarkSeconds,
               outputSeconds)
            + (live ? String(format: "; live: %d frames skipped, %d lost before posepipe", skippedFrames, lostFrames) : "")
    }
}
