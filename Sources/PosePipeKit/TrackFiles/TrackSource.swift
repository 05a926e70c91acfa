/// Where the track commands (export, render --tracks, plot) get their frames from: a header, then
/// frames in order. `TrackFileReader` reads them from a file or a pipe; a test can hand them over
/// from memory.
public protocol TrackSource: AnyObject {
    /// Names the tracks in messages and exports (a track file's path).
    var path: String { get }
    var header: TrackHeader { get }
    /// What was wrong without stopping the read, one line each (no prefix).
    var warnings: [String] { get }
    /// The next frame, or nil after the last.
    func next() throws -> TrackFrame?
}

extension TrackFileReader: TrackSource {}

/// Frames held in memory, checked by the rules a track file's lines keep.
public final class TrackFrames: TrackSource {
    public let path: String
    public let header: TrackHeader
    public private(set) var warnings: [String] = []
    private var frames: IndexingIterator<[TrackFrame]>
    private var line = 1

    public init(path: String, header: TrackHeader, frames: [TrackFrame]) throws {
        try TrackFileChecks.check(header, path: path)
        self.path = path
        self.header = header
        self.frames = frames.makeIterator()
    }

    public func next() throws -> TrackFrame? {
        guard let frame = frames.next() else { return nil }
        line += 1
        try TrackFileChecks.check(frame, line: line, expected: line - 2, header: header, path: path)
        return frame
    }
}
