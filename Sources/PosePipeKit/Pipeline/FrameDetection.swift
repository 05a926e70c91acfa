/// What the detection workers did for one frame, handed with it to the `PersonFollower`: the
/// top-down look stage's output (`TopDownFinding`).
enum FrameDetection: Sendable, Equatable {
    /// No detection was due on this frame.
    case none
    /// The detector ran: the people it found.
    case found([Detection])
    /// A detection was due, but whether it can find anyone who would be kept depends on how many
    /// people are followed by then, which only the follower knows (`DetectionPlan.search`).
    case deferred(tiles: [RotatedRect])
}
