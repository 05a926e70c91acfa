/// Run-time choices that do not change what a pipeline is, only how it runs.
public struct PipelineOptions: Sendable {
    /// Inference workers running frames in parallel, each with its own model sessions.
    public var threads: Int
    /// How tracks are smoothed: offline, online or not at all, by default as the input suits.
    public var smoothing: Smoothing
    /// Swap back a person's left and right keypoints when the model labels them the wrong way round
    /// for a while (`SideKeeper`).
    public var keepSides: Bool
    /// Seconds a person may go unseen and keep their id.
    public var trackGap: Double
    /// Stop after this many frames (nil: the whole input).
    public var maxFrames: Int?
    /// Run the person detector on every n-th frame (1: every frame); nil: about ten times a
    /// second of video. Between detections people are followed by their own landmarks; only
    /// newcomers wait for the next detection.
    public var detectEvery: Int?
    /// Consecutive frames whose person crops are planned together and run concurrently: every
    /// crop of a block comes from the landmarks of the frame before the block, so a lone
    /// person's frames can use several cores. 1 plans each frame from the one just before.
    public var frameBatch: Int
    /// Tiles across the shorter side searched in turn for small people (0: whole frame only).
    public var detectTiles: Int
    /// At most this many people a frame (nil: everyone): people already followed first, then
    /// newcomers, largest first. Once the places are taken, detections are not looked at and
    /// people beyond the limit are dropped at crop planning, before pose inference.
    public var maxPeople: Int?
    /// A live source's latency bound in seconds (`LatencyBound`); nil: none, every frame is
    /// worked on however late. Inputs with an end are never skipped.
    public var maxLatency: Double?
    /// Which frames keep their pixels while offline smoothing holds their results back (to draw on them);
    /// by default none, so half a second of held frames costs no picture memory.
    public var keepsPixels: @Sendable (_ frameIndex: Int) -> Bool = { _ in false }

    public init(threads: Int = 2,
                smoothing: Smoothing = Smoothing(), keepSides: Bool = true,
                trackGap: Double = 1.0, maxFrames: Int? = nil, detectEvery: Int? = nil, detectTiles: Int = 2, frameBatch: Int = 1,
                maxPeople: Int? = nil, maxLatency: Double? = LatencyBound.defaultMaxLatency) {
        self.threads = threads
        self.smoothing = smoothing
        self.keepSides = keepSides
        self.trackGap = trackGap
        self.maxFrames = maxFrames
        self.detectEvery = detectEvery.map { max(1, $0) }
        self.detectTiles = max(0, detectTiles)
        self.frameBatch = max(1, frameBatch)
        self.maxPeople = maxPeople.map { max(1, $0) }
        self.maxLatency = maxLatency.flatMap { $0.isFinite ? max(0, $0) : nil }
    }

    /// Detections a second of video when `detectEvery` is nil.
    public static let detectionsPerSecond = 10.0

    /// The detection cadence for a video of `fps` frames a second.
    public func detectionInterval(fps: Double) -> Int {
        if let detectEvery { return detectEvery }
        guard fps.isFinite, fps > 0 else { return 3 }
        return max(1, Int((fps / Self.detectionsPerSecond).rounded()))
    }

    /// Frames an input's results are written behind its decoding: the offline smoother's window.
    public func lookahead(for info: VideoInfo) -> Int {
        smoothing.mode(for: info) == .offline ? FixedLagSmoother(parameters: smoothing.offline, fps: info.fps).lagFrames : 0
    }
}
