/// What happened to one clip of a batch; one entry of `--report`'s `clips`.
public struct ClipReport: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable {
        /// Processed now; the output is complete.
        case done
        /// A finished output was already there (a rerun), so the clip was not processed again.
        case skipped
        /// Could not be processed; `reason` says why. Nothing under the final output name.
        case failed
        /// Stopped by a signal while processing: its frames so far are in the `.partial` file.
        case interrupted
        /// Not started before a signal stopped the batch.
        case pending
        /// Left alone: another run is processing it (its `.partial` file is locked). A later
        /// run finds it done, or takes it up if that run did not finish it.
        case busy
    }

    /// Relative to the batch folder.
    public var clip: String
    /// The finished output's path, when `status` is done or skipped.
    public var output: String?
    /// The unfinished output's path, when a clip stopped part-way (interrupted, or failed after
    /// its first frames): its complete lines are kept there, and a rerun replaces it. For a busy
    /// clip, the partial file the other run is writing.
    public var partial: String?
    public var status: Status
    /// Frames written (for a skipped clip, 0: it was not read).
    public var frames: Int
    /// Wall time the clip took, in seconds, to the millisecond.
    public var seconds: Double {
        didSet { seconds = (seconds * 1000).rounded() / 1000 }
    }
    /// For a failure, the error line a single-clip run would print (without `posepipe: `).
    public var reason: String?
    /// For a failure, the exit code a single-clip run would end with.
    public var exitCode: Int32?
    /// Problems that did not stop the clip (a cut ending, damaged packets), one line each.
    public var warnings: [String]

    public init(clip: String, status: Status, output: String? = nil, partial: String? = nil, frames: Int = 0,
                seconds: Double = 0, reason: String? = nil, exitCode: Int32? = nil, warnings: [String] = []) {
        self.clip = clip
        self.output = output
        self.partial = partial
        self.status = status
        self.frames = frames
        self.seconds = (seconds * 1000).rounded() / 1000
        self.reason = reason
        self.exitCode = exitCode
        self.warnings = warnings
    }
}
