/// When the person detector runs and where it looks: the one owner of the detection cadence,
/// the tile sweep and the detection number that picks each detection's tile.
public struct DetectionSchedule: Sendable, Equatable {
    /// Detect on every n-th frame.
    public var interval: Int
    public var tiling: DetectionTiling

    public init(interval: Int, tiling: DetectionTiling) {
        self.interval = max(1, interval)
        self.tiling = tiling
    }

    /// The tiles the scheduled detection of frame `index` searches besides the whole frame;
    /// nil when no detection is due.
    public func scheduled(frame index: Int, width: Int, height: Int) -> [RotatedRect]? {
        guard index % interval == 0 else { return nil }
        return tiling.tiles(width: width, height: height, detection: index / interval)
    }

    /// The tiles of a detection run out of turn on frame `index`, because nobody is followed.
    public func unscheduled(frame index: Int, width: Int, height: Int) -> [RotatedRect] {
        tiling.tiles(width: width, height: height, detection: index)
    }
}
