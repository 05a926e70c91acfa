/// Draws each frame's people onto the frame, upright as the tracks describe it, and encodes it:
/// the overlay video of a run or of an existing track file.
public final class OverlayWriter {
    public let encoder: OverlayEncoder
    private let renderer: SkeletonRenderer

    /// - Parameters:
    ///   - info: the input's stream information; the overlay has its displayed size.
    ///   - clearScore: joints scored below this are drawn dimmed.
    public init(path: String, info: VideoInfo, skeleton: [[Int]], clearScore: Double) throws {
        encoder = try OverlayEncoder(path: path, width: info.width, height: info.height, fps: info.fps, source: info.source)
        renderer = SkeletonRenderer(skeleton: skeleton, minScore: clearScore)
    }

    /// Draws `people` on `frame` and encodes it at the frame's PTS.
    public func add(_ frame: VideoFrame, people: [TrackedPerson]) throws {
        var picture = frame.uprightRGB()
        // A frame whose pixels the pipeline let go cannot be drawn; the encoder would read past it.
        guard picture.count >= frame.displayWidth * frame.displayHeight * 3 else {
            throw PosePipeError.outputUnwritable(path: encoder.path, reason: "frame \(frame.index) came without its pixels")
        }
        renderer.draw(people, on: &picture, width: frame.displayWidth, height: frame.displayHeight)
        guard frame.displayWidth >= encoder.width, frame.displayHeight >= encoder.height else {
            // A stream whose size changes midway: the overlay keeps its first size.
            throw PosePipeError.outputUnwritable(path: encoder.path, reason: "frame \(frame.index) is \(frame.displayWidth)×\(frame.displayHeight), smaller than the video's first frames")
        }
        try encoder.write(rgb: picture, rowWidth: frame.displayWidth, pts: frame.pts)
    }

    public func finish() throws { try encoder.finish() }

    public func abandon() { encoder.abandon() }

    /// Lines for stderr about what the overlay left out.
    public var warnings: [String] { encoder.warnings }
}
