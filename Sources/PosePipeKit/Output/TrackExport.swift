/// One input's whole track file: the header, then one line per frame, each written as it comes.
/// The single-clip command and every clip of a batch write through here, so they write the same.
public enum TrackExport {
    /// Runs `decoder` through `pipeline` into `writer`; `onFrame` follows each written line (progress).
    /// When it throws, every frame before the failing one is written, each on a complete line.
    ///
    /// The header goes out with the first frame (or at the end of a run that stopped before one):
    /// an input found to hold no frame at all fails with nothing written, rather than leaving a
    /// header that describes a video nobody could read.
    public static func run(_ decoder: VideoDecoder, through pipeline: PosePipeline, into writer: TrackWriter,
                           shouldStop: @escaping @Sendable () -> Bool = { false },
                           onFrame: (VideoFrame) -> Void = { _ in }) throws -> RunSummary {
        var headerWritten = false
        func writeHeader() throws {
            guard !headerWritten else { return }
            try writer.write(TrackRecord.header(info: decoder.info, pipeline: pipeline.description))
            headerWritten = true
        }
        let summary = try pipeline.run(decoder, shouldStop: shouldStop) { result in
            try writeHeader()
            try writer.write(TrackRecord.frame(index: result.frame.index, pts: result.frame.pts, people: result.people))
            onFrame(result.frame)
        }
        try writeHeader()
        return summary
    }
}
