/// Seconds a recurring piece of work takes, as an exponential moving average of its recent
/// durations: what `LatencyBound` counts as still ahead of a frame.
struct WorkEstimate: Sendable {
    private(set) var seconds = 0.0
    private var seen = false
    /// Weight of the newest duration: about the last ten count.
    private static let weight = 0.2

    mutating func note(_ duration: Double) {
        guard duration.isFinite, duration >= 0 else { return }
        seconds = seen ? seconds + Self.weight * (duration - seconds) : duration
        seen = true
    }
}
