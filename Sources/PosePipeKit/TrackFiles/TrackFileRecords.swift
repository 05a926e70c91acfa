/// A track file's header line, as `TrackRecord.header` writes it (README, "Output format").
public struct TrackHeader: Sendable, Equatable {
    public var schema: String
    public var version: Int
    public var source: String
    public var width: Int
    public var height: Int
    public var fps: Double
    public var duration: Double?
    public var rotation: Int
    public var pipeline: String
    public var keypoints: [String]
    public var skeleton: [[Int]]
    /// Names of the angles every person record carries (`--angles`), nil when it carries none.
    public var angles: [String]?

    public init(source: String, width: Int, height: Int, fps: Double, duration: Double?, rotation: Int = 0,
                pipeline: String, keypoints: [String], skeleton: [[Int]], angles: [String]? = nil) {
        schema = TrackRecord.schema
        version = TrackRecord.version
        self.source = source
        self.width = width
        self.height = height
        self.fps = fps
        self.duration = duration
        self.rotation = rotation
        self.pipeline = pipeline
        self.keypoints = keypoints
        self.skeleton = skeleton
        self.angles = angles
    }
}

/// One frame line of a track file.
public struct TrackFrame: Sendable, Equatable {
    public var index: Int
    public var pts: Double
    public var persons: [Person]
    /// A live source's frame posepipe skipped (`--max-latency`): nobody looked for people in it.
    public var skipped = false

    /// One person record of a frame line.
    public struct Person: Sendable, Equatable {
        public var id: Int
        public var score: Double
        /// `[x, y, width, height]` as written.
        public var box: [Double]
        public var keypoints: [Keypoint]
        /// Angle name → degrees (nil where a joint was not clear); empty when the run had no `--angles`.
        public var angles: [String: Double?]

        public init(id: Int, score: Double, box: [Double], keypoints: [Keypoint], angles: [String: Double?] = [:]) {
            self.id = id
            self.score = score
            self.box = box
            self.keypoints = keypoints
            self.angles = angles
        }

        /// The person as the pipeline hands it on, for drawing and angle computation.
        public func tracked(clearScore: Double = 0.5) -> TrackedPerson {
            TrackedPerson(id: id, score: score, keypoints: keypoints, clearScore: clearScore)
        }
    }

    public init(index: Int, pts: Double, persons: [Person]) {
        self.index = index
        self.pts = pts
        self.persons = persons
    }
}
