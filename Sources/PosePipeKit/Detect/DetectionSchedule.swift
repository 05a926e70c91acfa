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
    ///
    /// The run's first frames are each detected, one tile each, until every tile has been
    /// searched once: at the cadence, a person too small for the whole frame would wait for
    /// their tile up to a second (the grid's size in detections), and the frames between
    /// detections go unsearched as soon as anyone is followed.
    public func scheduled(frame index: Int, width: Int, height: Int) -> [RotatedRect]? {
        let grid = tiling.tiles(width: width, height: height)
        if index < grid.count { return [grid[index]] }
        guard index % interval == 0 else { return nil }
        return grid.isEmpty ? [] : [grid[(index / interval) % grid.count]]
    }

    /// The tiles of a detection run out of turn on frame `index`, because nobody is followed.
    public func unscheduled(frame index: Int, width: Int, height: Int) -> [RotatedRect] {
        tiling.tiles(width: width, height: height, detection: index)
    }
}
