/// What a running batch tells its observer (the command line's progress), from any job's thread.
public enum BatchEvent: Sendable {
    /// A clip was opened; `duration` in seconds when its container knows it.
    case started(clip: String, duration: Double?)
    /// A clip's frame was written: `frames` so far, at `pts` seconds.
    case frame(clip: String, frames: Int, pts: Double)
    /// A clip is over, whatever the outcome.
    case finished(ClipReport)
}
