/// When posepipe skips a live source's frame: the one decision that keeps a live run's latency
/// bounded when the source sends frames faster than the pipeline finishes them.
///
/// A frame is skipped (written as a skipped line, with no pose work) when a newer frame has
/// already arrived and this one could not be written within `maxLatency` of when it was due: its
/// age so far plus the work still ahead of it. The newest frame is never skipped, so a pipeline
/// slower than its source works on the newest frame each time it is free ("newest first"), and
/// one faster than its source skips nothing.
public struct LatencyBound: Sendable, Equatable {
    /// Seconds from when a frame was due to when its line should be written.
    public var maxLatency: Double

    public init(maxLatency: Double) {
        self.maxLatency = maxLatency
    }

    /// Whether the bound applies to `info`'s source: one that sends at its own pace and cannot be
    /// made to wait (a network stream, a camera device), so falling behind it loses frames or
    /// time. Inputs with an end are read at posepipe's pace and never skipped; so is standard input,
    /// whose writer a full pipe makes wait (a file piped in must lose nothing), unless the user
    /// declares it live (`--live`: a camera piped through FFmpeg, which drops frames when it waits).
    public static func applies(to info: VideoInfo) -> Bool {
        !Smoothing.hasEnd(info) && (info.declaredLive || InputLocation(info.source) != .standardInput)
    }

    /// The default `--max-latency`, in seconds.
    public static let defaultMaxLatency = 0.5

    /// - Parameters:
    ///   - age: seconds since the frame was due (`SourceClock`).
    ///   - remaining: seconds of work expected between here and the frame's line.
    ///   - newerWaiting: whether a later frame has already arrived.
    public func skips(age: Double, remaining: Double, newerWaiting: Bool) -> Bool {
        newerWaiting && age + remaining > maxLatency
    }
}
