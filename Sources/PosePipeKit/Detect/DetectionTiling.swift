/// Where the person detector looks in a frame.
///
/// A square detector input (224 px for BlazePose) sees the whole frame so small that people
/// far away vanish. Each detection therefore searches the whole frame and one tile of a grid of
/// overlapping squares, the tiles in turn: two detector runs per detection, every tile searched
/// every `tiles.count` detections. Once found, a person is followed by their own landmarks, so
/// the sweep costs only the time until a newcomer is first seen.
public struct DetectionTiling: Sendable, Equatable {
    /// Tiles across the frame's shorter side; 0 searches the whole frame only.
    public var level: Int

    public init(level: Int) {
        self.level = max(0, level)
    }

    /// The grid for a `width` × `height` frame: squares of side 2·short / (level + 1), overlapping
    /// by half, spread evenly to cover the frame. Empty for level 0.
    public func tiles(width: Int, height: Int) -> [RotatedRect] {
        guard level > 0 else { return [] }
        let w = Double(width), h = Double(height)
        let side = 2 * min(w, h) / Double(level + 1)
        return Self.starts(h, side: side).flatMap { y in
            Self.starts(w, side: side).map { x in RotatedRect(center: Point2(x: x + side / 2, y: y + side / 2), width: side, height: side) }
        }
    }

    /// Where the tiles of side `side` begin along a side of `length`: evenly spread, overlapping by half.
    private static func starts(_ length: Double, side: Double) -> [Double] {
        let count = Int(((length - side) / (side / 2)).rounded(.up)) + 1
        guard count > 1 else { return [max(0, (length - side) / 2)] }
        return (0..<count).map { Double($0) * (length - side) / Double(count - 1) }
    }

    /// How many tiles the grid of a `width` × `height` frame has, without building it.
    public func count(width: Int, height: Int) -> Int {
        guard level > 0 else { return 0 }
        let side = 2 * Double(min(width, height)) / Double(level + 1)
        return Self.starts(Double(width), side: side).count * Self.starts(Double(height), side: side).count
    }

    /// The tile detection number `k` (counting detections, not frames) searches besides the
    /// whole frame: the next one of the grid in turn; none for level 0.
    public func tiles(width: Int, height: Int, detection k: Int) -> [RotatedRect] {
        let grid = tiles(width: width, height: height)
        return grid.isEmpty ? [] : [grid[k % grid.count]]
    }
}
