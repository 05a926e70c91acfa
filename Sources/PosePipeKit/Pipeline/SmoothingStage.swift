/// The temporal smoothing stage, online or offline behind one seam: takes each tracked frame in
/// frame order and gives back the frames it is done with, now (online) or its window later (offline).
protocol SmoothingStage {
    mutating func smooth(_ frame: TrackedFrame) -> [FrameResult]
    /// A skipped frame (`LatencyBound`), given back in its place among the others, marked skipped.
    /// Filters go on across it as time passing: it is no frame where everyone was missing.
    mutating func skip(_ frame: VideoFrame) -> [FrameResult]
    /// Every frame still held back, smoothed with what is known. Called on every way out of a run
    /// (the end, a stop, a failure) so the output never ends short of a frame that was finished.
    mutating func finish() -> [FrameResult]
}

extension Smoothing {
    /// The stage for a run over `info`, in the mode it calls for.
    /// - Parameter keepsPixels: which frames keep their pixels while held back (`PipelineOptions.keepsPixels`).
    func stage(for info: VideoInfo, clearScore: Double, keepsPixels: @escaping @Sendable (Int) -> Bool) -> any SmoothingStage {
        switch mode(for: info) {
        case .offline:
            OfflineSmoothingStage(FixedLagSmoother(parameters: offline, fps: info.fps, minScore: clearScore), keepsPixels: keepsPixels)
        case .online:
            OnlineSmoothingStage(TemporalSmoother(parameters: online, minScore: clearScore))
        case .none:
            OnlineSmoothingStage(TemporalSmoother(parameters: nil, minScore: clearScore))
        }
    }
}

/// Online smoothing (`TemporalSmoother`, One Euro; or none): each frame is given back at once.
struct OnlineSmoothingStage: SmoothingStage {
    private var smoother: TemporalSmoother

    init(_ smoother: TemporalSmoother) {
        self.smoother = smoother
    }

    mutating func smooth(_ frame: TrackedFrame) -> [FrameResult] {
        [FrameResult(frame: frame.frame, people: smoother.smooth(frame.people, at: frame.frame.pts, activeIDs: frame.activeIDs))]
    }

    func skip(_ frame: VideoFrame) -> [FrameResult] {
        [FrameResult(frame: frame, people: [], skipped: true)]
    }

    func finish() -> [FrameResult] { [] }
}

/// Offline smoothing (`FixedLagSmoother`): frames are held back for the smoother's window, without
/// their pixels unless `keepsPixels` says otherwise, so half a second of held frames costs no
/// picture memory.
struct OfflineSmoothingStage: SmoothingStage {
    private var smoother: FixedLagSmoother
    private let keepsPixels: @Sendable (Int) -> Bool

    init(_ smoother: FixedLagSmoother, keepsPixels: @escaping @Sendable (Int) -> Bool) {
        self.smoother = smoother
        self.keepsPixels = keepsPixels
    }

    mutating func smooth(_ frame: TrackedFrame) -> [FrameResult] {
        let kept = keepsPixels(frame.frame.index) ? frame.frame : frame.frame.withoutPixels()
        return smoother.push(FrameResult(frame: kept, people: frame.people))
    }

    mutating func skip(_ frame: VideoFrame) -> [FrameResult] {
        let kept = keepsPixels(frame.index) ? frame : frame.withoutPixels()
        return smoother.push(FrameResult(frame: kept, people: [], skipped: true))
    }

    mutating func finish() -> [FrameResult] {
        smoother.finish()
    }
}
