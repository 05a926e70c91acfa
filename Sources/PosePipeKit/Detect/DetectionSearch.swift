/// Where one detection looks: the whole frame, fitted into the detector's input its own way, and tiles
/// (squares of the frame seen at a larger scale, for small people).
public struct DetectionSearch: Sendable, Equatable {
    public var wholeFrame: Bool
    public var tiles: [RotatedRect]

    public init(wholeFrame: Bool = true, tiles: [RotatedRect]) {
        self.wholeFrame = wholeFrame
        self.tiles = tiles
    }
}
