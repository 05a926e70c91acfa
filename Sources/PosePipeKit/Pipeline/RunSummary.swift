/// What a run did, for summaries and `--verbose`.
public struct RunSummary: Sendable {
    /// Whether the source was live (`LatencyBound.applies`): frames could be skipped or lost.
    public var live = false
    public var frames = 0
    public var people = 0
    /// Person-frames whose left and right keypoints were swapped back (`SideKeeper`).
    public var sidesSwapped = 0
    public var corruptPackets = 0
    /// Lines written for frames skipped to keep within `--max-latency` (a live source), among `frames`.
    public var skippedFrames = 0
    /// Frames missing from a live source's timestamps: lost before posepipe read them.
    public var lostFrames = 0
    public var seconds = 0.0
    /// Summed busy time of each stage, in seconds.
    public var decodeSeconds = 0.0
    public var detectSeconds = 0.0
    public var landmarkSeconds = 0.0
    public var outputSeconds = 0.0
}
