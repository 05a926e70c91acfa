/// Where one clip of a folder run stands, as `posepipe status` reads it from the output folder
/// and the reports, without running anything.
public struct ClipState: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        /// Its finished output is there.
        case done
        /// A run holds its `.partial` file (locked) and is writing it now.
        case inFlight
        /// The newest report that processed it says it failed, and no run finished it since.
        case failed
        /// Nothing finished and no run on it: never started, interrupted (its complete lines wait
        /// in an unlocked `.partial`), or killed. The next run of its shard processes it.
        case left
    }

    /// Relative to the batch folder.
    public var clip: String
    public var state: State
    /// K of the shard that has it, when the run is sharded (K/N with N > 1).
    public var shard: Int?
    /// The finished output, when done.
    public var output: String?
    /// The unfinished output: written now (in flight) or left by a stopped run.
    public var partial: String?
    /// Complete frame lines in `partial`.
    public var frames: Int?
    /// For a failure, the error line its run printed (without `posepipe: `) and the exit code a
    /// run on that clip alone would give.
    public var reason: String?
    public var exitCode: Int32?

    public init(clip: String, state: State, shard: Int? = nil, output: String? = nil, partial: String? = nil,
                frames: Int? = nil, reason: String? = nil, exitCode: Int32? = nil) {
        self.clip = clip
        self.state = state
        self.shard = shard
        self.output = output
        self.partial = partial
        self.frames = frames
        self.reason = reason
        self.exitCode = exitCode
    }
}
