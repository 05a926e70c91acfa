/// One input's whole track file: the header, then one line per frame, each written as it comes.
/// The single-clip command and every clip of a batch write through here, so they write the same.
public enum TrackExport {
    /// Runs `source` through `pipeline` into `writer`; `onFrame` follows each written line (progress).
    /// When it throws, every frame before the failing one is written, each on a complete line.
    ///
    /// The header goes out with the first frame (or at the end of a run that stopped before one):
    /// an input found to hold no frame at all fails with nothing written, rather than leaving a
    /// header that describes a video nobody could read.
    ///
    /// - Parameters:
    ///   - angles: adds each person's joint and segment angles, from the smoothed keypoints.
    ///   - alsoTo: receives every frame's result after its line is written (an overlay video), but
    ///     for skipped frames that came without their pixels.
    public static func run(_ source: some FrameSource, through pipeline: PosePipeline, into writer: TrackWriter,
                           angles: JointAngles? = nil, alsoTo: ((FrameResult) throws -> Void)? = nil,
                           shouldStop: @escaping @Sendable () -> Bool = { false },
                           onFrame: (VideoFrame) -> Void = { _ in }) throws -> RunSummary {
        var headerWritten = false
        func writeHeader() throws {
            guard !headerWritten else { return }
            try writer.write(TrackRecord.header(info: source.info, pipeline: pipeline.description, angles: angles?.names))
            headerWritten = true
        }
        let summary = try pipeline.run(source, shouldStop: shouldStop) { result in
            try writeHeader()
            if result.skipped {
                try writer.write(TrackRecord.skipped(index: result.frame.index, pts: result.frame.pts))
            } else {
                let measured = angles.map { angles in result.people.map { angles.named($0.keypoints) } }
                try writer.write(TrackRecord.frame(index: result.frame.index, pts: result.frame.pts, people: result.people, angles: measured))
            }
            // A frame skipped while decoding left its pixels behind: an overlay goes on from the next.
            if !result.skipped || !result.frame.rgb.isEmpty { try alsoTo?(result) }
            onFrame(result.frame)
        }
        try writeHeader()
        return summary
    }
}
