/// The decode stage's seam: where a pipeline's frames come from, one at a time, in stream order.
///
/// Implementations: `VideoDecoder` (FFmpeg). A pipeline calls `next()` from one thread only, its
/// decode stage's.
public protocol FrameSource: AnyObject, Sendable {
    /// What the source holds: size, frame rate, duration (when known), where it comes from.
    var info: VideoInfo { get }
    /// The next frame, nil at the end; errors end the run after the frames already given.
    func next() throws -> VideoFrame?
    /// The next frame, without its pixels (`rgb` empty) when `stale` says, of its PTS, that it will be
    /// skipped anyway, so a source that can spare the work (converting to RGB) does.
    func next(withoutPixelsIf stale: (Double) -> Bool) throws -> VideoFrame?
    /// Packets the source could not decode and skipped.
    var corruptPackets: Int { get }
    /// Frames a live source's timestamps say were sent but never arrived (lost in the network or
    /// in FFmpeg's buffers).
    var lostFrames: Int { get }
}

extension FrameSource {
    public var lostFrames: Int { 0 }

    public func next(withoutPixelsIf stale: (Double) -> Bool) throws -> VideoFrame? {
        try next()
    }
}

extension VideoDecoder: FrameSource {}
