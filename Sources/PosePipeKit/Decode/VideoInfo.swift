/// What the container says about the video stream, known before the first frame.
public struct VideoInfo: Sendable, Equatable {
    /// Where the frames come from, as the user named it.
    public var source: String
    /// Displayed size in pixels (after rotation metadata).
    public var width: Int
    public var height: Int
    /// The stream's nominal frame rate; timestamps, not this, place each frame in time.
    public var fps: Double
    /// Duration in seconds when the container knows it.
    public var duration: Double?
    public var codec: String
    public var orientation: DisplayOrientation
    /// The user said the source is live (`--live`): standard input from a camera, which posepipe
    /// cannot tell from a piped file by itself.
    public var declaredLive = false
}
