/// When and where people are searched for in a run: the one place that decides detection, for
/// the workers running ahead and for the follower in frame order.
///
/// Ahead of frame order the schedule decides (`DetectionSchedule`: about ten detections a second,
/// one tile each). In frame order, the follower searches a frame the schedule skipped while nobody
/// is followed (waiting for the next scheduled frame would lose a newcomer's first frames) or, in
/// its tile alone, while the first sweep of the tiles is not done; and, with `--max-people`, a
/// scheduled frame only while a place is free: a lone followed subject then
/// costs no detector runs at all, as in MediaPipe. Both are decided on frame indices and the
/// follower's state in frame order, never on timing, so results do not depend on the threads.
struct DetectionPlan: Sendable, Equatable {
    var schedule: DetectionSchedule
    /// Scheduled searches wait for the follower to say whether a place is free.
    var defers: Bool
    var maxPeople: Int?

    init(schedule: DetectionSchedule, defers: Bool, maxPeople: Int?) {
        self.schedule = schedule
        self.defers = defers
        self.maxPeople = maxPeople
    }

    /// The plan for a run at `fps` frames a second. People who are not `followed` (the whole-frame
    /// detector: every frame's detection is the crop) are searched on every frame.
    init(options: PipelineOptions, fps: Double, follows: Bool) {
        self.init(schedule: DetectionSchedule(interval: follows ? options.detectionInterval(fps: fps) : 1,
                                              tiling: DetectionTiling(level: options.detectTiles)),
                  defers: options.maxPeople != nil && follows, maxPeople: options.maxPeople)
    }

    /// A worker's look at `frame` ahead of frame order: nothing when no detection is due, the
    /// people `detect` finds on the due tiles, or the search left to the follower.
    func look(at frame: VideoFrame, detect: ([RotatedRect]) throws -> [Detection]) rethrows -> FrameDetection {
        guard let tiles = schedule.scheduled(frame: frame.index, width: frame.displayWidth, height: frame.displayHeight) else {
            return .none
        }
        return defers ? .deferred(tiles: tiles) : .found(try detect(tiles))
    }

    /// What the follower searches on `frame` in frame order, when `followed` people are followed
    /// and the worker did `detected`; nil: no search. While the first sweep of the tiles is not
    /// done, a frame between detections is searched in its tile alone: the whole frame, searched
    /// at the cadence, is where newcomers large enough for it are found anyway.
    func search(_ frame: VideoFrame, detected: FrameDetection, followed: Int) -> DetectionSearch? {
        let width = frame.displayWidth, height = frame.displayHeight
        let placeFree = followed < maxPeople ?? .max
        switch detected {
        case .found:
            return nil
        case .deferred(let tiles):
            return placeFree ? DetectionSearch(tiles: tiles) : nil
        case .none where followed == 0:
            return DetectionSearch(tiles: schedule.unscheduled(frame: frame.index, width: width, height: height))
        case .none:
            guard placeFree, let tiles = schedule.firstSweep(frame: frame.index, width: width, height: height) else { return nil }
            return DetectionSearch(wholeFrame: false, tiles: tiles)
        }
    }
}
