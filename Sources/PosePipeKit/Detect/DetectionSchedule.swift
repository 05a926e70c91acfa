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
    /// nil when no detection is due. Until every tile has been searched once, frame `index`'s tile
    /// is the grid's `index`-th, so that the first sweep (`firstSweep`) covers them all.
    public func scheduled(frame index: Int, width: Int, height: Int) -> [RotatedRect]? {
        guard index % interval == 0 else { return nil }
        let detection = index < tiling.count(width: width, height: height) ? index : index / interval
        return tiling.tiles(width: width, height: height, detection: detection)
    }

    /// The tile frame `index` searches, alone, when no detection is due on it but the first sweep
    /// of the grid is not done: at the cadence, a person too small for the whole frame would wait
    /// for their tile up to a second (the grid's size in detections), and as soon as anyone is
    /// followed the frames between detections go unsearched. Nil on every other frame.
    public func firstSweep(frame index: Int, width: Int, height: Int) -> [RotatedRect]? {
        guard index % interval != 0, index < tiling.count(width: width, height: height) else { return nil }
        return tiling.tiles(width: width, height: height, detection: index)
    }

    /// The tiles of a detection run out of turn on frame `index`, because nobody is followed.
    public func unscheduled(frame index: Int, width: Int, height: Int) -> [RotatedRect] {
        tiling.tiles(width: width, height: height, detection: index)
    }
}
