/// A detector that finds one person filling every frame, as MMPose's `inference_topdown` does
/// when given no boxes: for clips already cropped to one person.
///
/// MMPose's box is `[0, 0, w, h]` in its pixels, whose centres lie on integers; in posepipe's
/// pixels (centres at +0.5) that is the same box moved half a pixel right and down, so a box crop
/// from it matches MMPose's to the pixel.
public struct WholeFrameDetector: PersonDetecting {
    public init() {}

    /// The frame, whatever the search: it is where the person is.
    public func detect(in frame: VideoFrame, search: DetectionSearch) throws -> [Detection] {
        [Detection(box: Box(x: 0.5, y: 0.5, width: Double(frame.displayWidth), height: Double(frame.displayHeight)), score: 1)]
    }
}
