/// `posepipe render --tracks`: draws an existing track file over the video it was made from,
/// frame by frame, without running any model.
///
/// The tracks must belong to the video: the header's size must be the video's displayed size,
/// the number of frame lines the number of frames the container lists (when it lists them), and
/// every line's frame number and PTS those of the frame it is drawn on. Anything else stops the
/// render with a line saying what differs.
public enum TrackOverlay {
    /// PTS may differ by the track file's rounding (1 µs) and no more than this.
    static let ptsTolerance = 0.001

    /// Refuses tracks whose header or length does not match `info` before any frame is drawn;
    /// `frameLines` is nil for tracks read from a pipe, which are read once: their length is
    /// checked as they are drawn.
    public static func check(_ tracks: any TrackSource, frameLines: Int?, against info: VideoInfo, listedFrames: Int?) throws {
        let header = tracks.header
        func mismatch(_ what: String) -> PosePipeError { .badTracks(path: tracks.path, reason: "not made from \(info.source): \(what)") }
        guard header.width == info.width, header.height == info.height else {
            throw mismatch("its frames are \(header.width)×\(header.height), the video's \(info.width)×\(info.height)")
        }
        if let listedFrames, let frameLines, listedFrames != frameLines {
            throw mismatch("it holds \(frameLines) frames, the video \(listedFrames)")
        }
    }

    /// Draws every frame of `decoder` with its line of `tracks` into `writer`; returns the frames drawn.
    public static func render(_ decoder: VideoDecoder, tracks: any TrackSource, into writer: OverlayWriter,
                              shouldStop: @Sendable () -> Bool = { false }, onFrame: (VideoFrame) -> Void = { _ in }) throws -> Int {
        func mismatch(_ what: String) -> PosePipeError {
            .badTracks(path: tracks.path, reason: "not made from \(decoder.info.source): \(what)")
        }
        var count = 0
        while !shouldStop(), let frame = try decoder.next() {
            let next: TrackFrame?
            do {
                next = try tracks.next()
            } catch PosePipeError.interrupted {
                // Stopped while waiting for a pipe's next line: the frames so far make the video.
                break
            }
            guard let line = next else { throw mismatch("it ends at frame \(count), the video goes on") }
            guard line.index == frame.index, abs(line.pts - frame.pts) <= ptsTolerance else {
                throw mismatch("its frame \(line.index) is at \(line.pts) s, the video's frame \(frame.index) at \(frame.pts) s")
            }
            try writer.add(frame, people: line.persons.map { $0.tracked() })
            count += 1
            onFrame(frame)
        }
        if !shouldStop(), try tracks.next() != nil {
            throw mismatch("it goes on past the video's \(count) frames")
        }
        return count
    }
}
