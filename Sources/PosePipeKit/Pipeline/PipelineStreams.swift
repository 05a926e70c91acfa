/// What flows along the edges of the pipeline graph (`PipelineGraph`), one value a frame, in the
/// order the stages hand them on.

/// A frame and what a worker running ahead saw in it (`FrameLooking`): the look stage's output,
/// the follow stage's input.
struct SeenFrame<Sight: Sendable>: Sendable {
    var frame: VideoFrame
    var sight: Sight
    /// When a live source's frame was due (`LiveTiming`), for the follower's skip decision.
    var due = 0.0
}

/// What the look stage hands on for a frame, in frame order: what a worker saw in it, or that the
/// frame was skipped (a live source's stale frame, `LatencyBound`), which goes around the follow,
/// tracking and smoothing filters to the sink as a skipped line.
enum LookedFrame<Sight: Sendable>: Sendable {
    case seen(SeenFrame<Sight>)
    case skipped(VideoFrame)

    var frame: VideoFrame {
        switch self {
        case .seen(let seen): seen.frame
        case .skipped(let frame): frame
        }
    }
}

/// A frame and the people found in it, before they have ids: the follow stage's output, the
/// tracking stage's input.
struct ObservedFrame: Sendable {
    var frame: VideoFrame
    var people: [PersonObservation]
}

/// A frame's people with their ids, and every id still alive (people unseen for a moment keep
/// theirs): the tracking stage's output, the smoothing stage's input.
struct TrackedFrame: Sendable {
    var frame: VideoFrame
    var people: [TrackedPerson]
    var activeIDs: Set<Int>
}

/// One frame's finished result, handed to the caller in frame order: the smoothing stage's output.
public struct FrameResult: Sendable {
    /// The frame; with offline smoothing its pixels are dropped (`rgb` empty) unless
    /// `PipelineOptions.keepsPixels` says otherwise.
    public var frame: VideoFrame
    public var people: [TrackedPerson]
    /// A live source's frame skipped to keep within `--max-latency`: nobody looked for people in
    /// it, so `people` is empty and says nothing about who was there.
    public var skipped = false
}
