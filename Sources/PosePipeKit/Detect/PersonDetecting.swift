/// The person detection stage's seam: finds people in a frame.
///
/// Implementations: `BlazePoseDetector` (SSD with alignment points), `BoxDetector` (plain boxes),
/// `WholeFrameDetector` (the frame is the person). Each instance serves one thread at a time.
public protocol PersonDetecting: Sendable {
    /// People found in the whole frame, fitted into the detector's input its own way, and in each
    /// of `tiles` (squares of the frame seen at a larger scale, for small people), best first,
    /// in displayed frame pixels.
    func detect(in frame: VideoFrame, tiles: [RotatedRect]) throws -> [Detection]
}

/// The square centred on the frame, as wide as its longer side: the whole frame letterboxed.
public func letterbox(width: Int, height: Int) -> RotatedRect {
    let side = Double(max(width, height))
    return RotatedRect(center: Point2(x: Double(width) / 2, y: Double(height) / 2), width: side, height: side)
}
