/// What the detection workers did for one frame, handed with it to the `PersonFollower`.
enum FrameDetection: Sendable, Equatable {
    /// No detection was due on this frame.
    case none
    /// The detector ran: the crops of the people it found.
    case found([RotatedRect])
    /// A detection was due, but whether it can find anyone who would be kept depends on how many
    /// people are followed by then, which only the follower knows: it runs the detector on these
    /// tiles itself when `--max-people` has room, and skips the run when every place is taken
    /// (newcomers would be dropped unseen). Deciding in frame order keeps results independent of timing.
    case deferred(tiles: [RotatedRect])
}

extension FrameDetection {
    /// A detection worker's part for one frame: nothing when no detection is due (`tiles` nil),
    /// the people `detect` finds on `tiles`, or the search left to the follower when `defers`.
    static func scheduled(tiles: [RotatedRect]?, defers: Bool,
                          detect: ([RotatedRect]) throws -> [RotatedRect]) rethrows -> FrameDetection {
        guard let tiles else { return .none }
        return defers ? .deferred(tiles: tiles) : .found(try detect(tiles))
    }
}
