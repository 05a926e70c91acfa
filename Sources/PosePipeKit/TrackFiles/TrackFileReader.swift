import Foundation

/// Reads a posepipe track file (JSON Lines) frame by frame, in flat memory: the header first,
/// then each frame line as it is asked for.
///
/// A file whose last line was cut mid-write (a run killed by a second Ctrl-C) is read up to
/// the cut and says so in `warnings`; any other broken line is an error naming its line number.
public final class TrackFileReader {
    public let path: String
    public let header: TrackHeader
    /// What was wrong with the file without stopping the read, one line each (no prefix).
    public private(set) var warnings: [String] = []
    private let lines: LineReader
    private let decoder = JSONDecoder()

    /// Opens `path` and reads its header.
    public init(path: String) throws {
        self.path = path
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw errno == ENOENT || errno == ENOTDIR ? PosePipeError.inputNotFound(path: path)
                : PosePipeError.inputUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT != S_IFDIR else {
            throw PosePipeError.inputUnreadable(path: path, reason: "is a directory")
        }
        guard let lines = LineReader(path: path) else {
            throw PosePipeError.inputUnreadable(path: path, reason: errno == EACCES ? "permission denied" : String(cString: strerror(errno)))
        }
        self.lines = lines
        guard let first = lines.next() else { throw PosePipeError.badTracks(path: path, reason: "the file is empty") }
        do {
            header = try decoder.decode(TrackHeader.self, from: Data(first.utf8))
        } catch {
            throw PosePipeError.badTracks(path: path, reason: "line 1 is not a posepipe.tracks header")
        }
        guard header.schema == TrackRecord.schema else {
            throw PosePipeError.badTracks(path: path, reason: "line 1 is not a posepipe.tracks header (schema \(header.schema))")
        }
        guard header.version == TrackRecord.version else {
            throw PosePipeError.badTracks(path: path, reason: "version \(header.version) is not one this posepipe reads (\(TrackRecord.version))")
        }
    }

    /// The next frame, or nil at the end of the file.
    public func next() throws -> TrackFrame? {
        guard let line = lines.next() else { return nil }
        let frame: TrackFrame
        do {
            frame = try decoder.decode(TrackFrame.self, from: Data(line.utf8))
        } catch {
            if lines.lastLineUnterminated {
                warnings.append("its last line (\(lines.lineNumber)) is incomplete and was left out")
                return nil
            }
            throw PosePipeError.badTracks(path: path, reason: "line \(lines.lineNumber) is not a frame record")
        }
        guard frame.persons.allSatisfy({ $0.keypoints.count == header.keypoints.count }) else {
            throw PosePipeError.badTracks(path: path, reason: "line \(lines.lineNumber): a person has not the header's \(header.keypoints.count) keypoints")
        }
        return frame
    }

    /// The number of complete frame lines in the file at `path`, counted without parsing them.
    public static func frameLines(in path: String) -> Int {
        guard let lines = LineReader(path: path) else { return 0 }
        var count = 0
        while lines.next() != nil {
            if !lines.lastLineUnterminated { count += 1 }
        }
        return max(0, count - 1)
    }

    /// Every remaining frame; for small files and tests (large files: call `next`).
    public func readAll() throws -> [TrackFrame] {
        var frames: [TrackFrame] = []
        while let frame = try next() { frames.append(frame) }
        return frames
    }
}
