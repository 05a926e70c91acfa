/// How a pipeline finds the people of each frame: the part of the graph between decoding and
/// tracking, which is what pipelines differ in. It has two halves, each a stage with a declared
/// input and output:
///
/// - look (`FrameLooking`): one frame → a `Sight`. Depends on no other frame, so `lookers` workers
///   (one session each) run it ahead of frame order, in parallel.
/// - follow (`PersonFollowing`): frames in order with their sights → each frame's people. Anything
///   that depends on earlier frames (crops that follow a person) lives here.
///
/// Implementations: `TopDownFinding` (a person detector looks; crops of each person run through a
/// pose model in frame order), `MultiPoseFinding` (one model run a frame finds everyone).
protocol PersonFinding: Sendable {
    associatedtype Look: FrameLooking
    associatedtype Follower: PersonFollowing where Follower.Sight == Look.Sight

    /// Workers looking at frames ahead of the follower.
    var lookers: Int { get }
    /// The `--verbose` timing the looks count under.
    static var lookTime: WritableKeyPath<StageTimes, Double> { get }
    /// The workers' stages for a run over `info`, one per worker, each used by its worker only.
    func looks(options: PipelineOptions, info: VideoInfo) -> [Look]
    /// The follower for a run over `info`; it starts with nobody followed.
    func follower(options: PipelineOptions, info: VideoInfo) -> Follower
}

/// The look stage: what one frame shows, found without any other frame.
protocol FrameLooking: Sendable {
    associatedtype Sight: Sendable
    func look(at frame: VideoFrame) throws -> Sight
}

/// The follow stage: takes consecutive frames in order, each with what a worker saw in it, and
/// gives each frame's people (without ids yet). Its state carries from one call to the next.
protocol PersonFollowing {
    associatedtype Sight: Sendable
    /// The people of each frame of `block` (consecutive frames, oldest first), in block order.
    mutating func follow(_ block: [SeenFrame<Sight>]) throws -> [ObservedFrame]
    /// Seconds spent so far in detection, landmarks and choosing people, for `--verbose`.
    var busy: StageTimes { get }
}
