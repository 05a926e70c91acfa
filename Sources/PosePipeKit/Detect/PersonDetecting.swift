/// The person detection stage's seam: finds people in a frame, searching the given regions.
///
/// Implementations: `BlazePoseDetector` (SSD with alignment points), `BoxDetector` (plain boxes),
/// `WholeFrameDetector` (the frame is the person). Each instance serves one thread at a time.
public protocol PersonDetecting: Sendable {
    /// People found in `regions` of `frame` (squares the detector sees one at a time; the first
    /// is the whole frame letterboxed), best first, in displayed frame pixels.
    func detect(in frame: VideoFrame, regions: [RotatedRect]) throws -> [Detection]
}

/// The square around the whole frame that a square detector input sees.
public func letterbox(width: Int, height: Int) -> RotatedRect {
    let side = Double(max(width, height))
    return RotatedRect(center: Point2(x: Double(width) / 2, y: Double(height) / 2), width: side, height: side)
}

extension PersonDetecting {
    /// The crops `rule` makes for the people found in `regions` of `frame`.
    public func crops(in frame: VideoFrame, regions: [RotatedRect], rule: any CropRule) throws -> [RotatedRect] {
        try detect(in: frame, regions: regions).compactMap(rule.crop(for:))
    }
}
