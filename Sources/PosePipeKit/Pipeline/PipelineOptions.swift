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
    /// Run the person detector on every n-th frame (1: every frame). Between detections people
    /// are followed by their own landmarks; only newcomers wait for the next detection.
    public var detectEvery: Int
    /// Tiles across the shorter side searched in turn for small people (0: whole frame only).
    public var detectTiles: Int

    public init(threads: Int = 2, decoderThreads: Int = 1,
                smoothing: OneEuroFilter.Parameters? = TemporalSmoother.defaultParameters,
                trackGap: Double = 1.0, maxFrames: Int? = nil, detectEvery: Int = 1, detectTiles: Int = 2) {
        self.threads = threads
        self.decoderThreads = decoderThreads
        self.smoothing = smoothing
        self.trackGap = trackGap
        self.maxFrames = maxFrames
        self.detectEvery = max(1, detectEvery)
        self.detectTiles = max(0, detectTiles)
    }
}
