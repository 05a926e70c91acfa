/// Run-time choices that do not change what a pipeline is, only how it runs.
public struct PipelineOptions: Sendable {
    /// Inference workers running frames in parallel, each with its own model sessions.
    public var threads: Int
    /// FFmpeg decoder threads (0: FFmpeg's choice).
    public var decoderThreads: Int
    /// One Euro settings; nil turns smoothing off.
    public var smoothing: OneEuroFilter.Parameters?
    /// Seconds a person may go unseen and keep their id.
    public var trackGap: Double
    /// Stop after this many frames (nil: the whole input).
    public var maxFrames: Int?

    public init(threads: Int = 2, decoderThreads: Int = 1,
                smoothing: OneEuroFilter.Parameters? = TemporalSmoother.defaultParameters,
                trackGap: Double = 1.0, maxFrames: Int? = nil) {
        self.threads = threads
        self.decoderThreads = decoderThreads
        self.smoothing = smoothing
        self.trackGap = trackGap
        self.maxFrames = maxFrames
    }
}
