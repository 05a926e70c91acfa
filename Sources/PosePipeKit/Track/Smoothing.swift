import Foundation

/// How keypoint tracks are smoothed over time, and with what settings.
public struct Smoothing: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable {
        /// Looks both ways over a fixed window (`FixedLagSmoother`): smoother and without lag, written
        /// `FixedLagSmoother.Parameters.lag` seconds later.
        case offline
        /// Looks back only (One Euro, `TemporalSmoother`): each frame written as soon as it is done.
        case online
        /// Raw per-frame keypoints.
        case none
    }

    /// nil: chosen by the input (`mode(for:)`).
    public var mode: Mode?
    public var online: OneEuroFilter.Parameters
    public var offline: FixedLagSmoother.Parameters

    public init(mode: Mode? = nil, online: OneEuroFilter.Parameters = TemporalSmoother.defaultParameters,
                offline: FixedLagSmoother.Parameters = FixedLagSmoother.defaultParameters) {
        self.mode = mode
        self.online = online
        self.offline = offline
    }

    /// Raw keypoints.
    public static let off = Smoothing(mode: Mode.none)

    /// The mode for an input: offline for one that ends — a regular file, or a stream whose container
    /// states its duration (an MP4 piped in, a video on a web server) — online for live sources (a camera,
    /// RTSP, raw frames, a stream of unknown length), whose consumers want each frame as soon as possible.
    public func mode(for info: VideoInfo) -> Mode {
        if let mode { return mode }
        return Self.hasEnd(info) ? .offline : .online
    }

    static func hasEnd(_ info: VideoInfo) -> Bool {
        if info.duration != nil { return true }
        guard let path = InputLocation(info.source).localPath else { return false }
        var status = stat()
        return stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }
}
