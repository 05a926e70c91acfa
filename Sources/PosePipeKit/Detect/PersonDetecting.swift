/// The person detection stage's seam: finds people in a frame.
///
/// Implementations: `BlazePoseDetector` (SSD with alignment points), `BoxDetector` (plain boxes),
/// `WholeFrameDetector` (the frame is the person). Each instance serves one thread at a time.
public protocol PersonDetecting: Sendable {
    /// People found where `search` looks, best first, in displayed frame pixels.
    func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection]
}

extension PersonDetecting {
    /// People found in the whole frame and in each of `tiles`.
    public func detect(in frame: VideoFrame, tiles: [RotatedRect]) throws -> [Detection] {
        try detect(in: frame, search: DetectionSearch(tiles: tiles))
    }
}

/// The square centred on the frame, as wide as its longer side: the whole frame letterboxed.
public func letterbox(width: Int, height: Int) -> RotatedRect {
    let side = Double(max(width, height))
    return RotatedRect(center: Point2(x: Double(width) / 2, y: Double(height) / 2), width: side, height: side)
}
