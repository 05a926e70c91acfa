import Foundation

/// Reads a posepipe track file (JSON Lines) frame by frame, in flat memory: the header first,
/// then each frame line as it is asked for, parsed as it streams in (`JSONLineScanner`), so a
/// file, a pipe (`<(zcat t.jsonl.gz)`) or a named pipe is read once, front to back.
///
/// Every line is checked as the README's "Output format" describes it: a header whose skeleton
/// joins two of its keypoints, frame numbers counting from 0 with one line per frame, finite
/// PTS, every person with the header's keypoints. The first line that breaks a rule stops the
/// read with an error naming it (65). A file whose last line was cut mid-write (a run killed by
/// a second Ctrl-C) is read up to the cut and says so in `warnings`.
public final class TrackFileReader {
    public let path: String
    public let header: TrackHeader
    /// Whether the input is a regular file, which can be read again (a pipe is read once).
    public let isRegularFile: Bool
    /// What was wrong with the file without stopping the read, one line each (no prefix).
    public private(set) var warnings: [String] = []
    private let scanner: JSONLineScanner
    private var lineNumber = 1
    private var expectedFrame = 0
    private var finished = false

    /// Opens `path` and reads its header. A named pipe is opened without waiting for its writer;
    /// reads then wait for data until `shouldStop` says to give up.
    /// - Parameter lineLimit: the longest line read, in bytes (256 MB; a longer one is an error).
    public init(path: String, lineLimit: Int = 256 << 20, shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        self.path = path
        let descriptor = FileName.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw errno == ENOENT || errno == ENOTDIR ? PosePipeError.inputNotFound(path: path)
                : PosePipeError.inputUnreadable(path: path, reason: errno == EACCES ? "permission denied" : FileSystem.lastError)
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, !status.isDirectory else {
            close(descriptor)
            throw PosePipeError.inputUnreadable(path: path, reason: "is a directory")
        }
        isRegularFile = status.isRegularFile
        scanner = JSONLineScanner(descriptor: descriptor, lineLimit: lineLimit, shouldStop: shouldStop)
        let notAHeader = PosePipeError.badTracks(path: path, reason: "line 1 is not a posepipe.tracks header")
        do {
            guard try !scanner.atEnd() else { throw PosePipeError.badTracks(path: path, reason: "the file is empty") }
            scanner.beginLine()
            header = try TrackLineParser(scanner: scanner).header()
            _ = try scanner.endLine()
        } catch let error as PosePipeError {
            throw error
        } catch {
            throw Self.readFailure(error, path: path, line: 1, limit: lineLimit) ?? notAHeader
        }
        guard header.schema == TrackRecord.schema else {
            throw PosePipeError.badTracks(path: path, reason: "line 1 is not a posepipe.tracks header (schema \(header.schema))")
        }
        guard header.version == TrackRecord.version else {
            throw PosePipeError.badTracks(path: path, reason: "version \(header.version) is not one this posepipe reads (\(TrackRecord.version))")
        }
        try TrackFileChecks.check(header, path: path)
    }

    /// The next frame, or nil at the end of the file.
    public func next() throws -> TrackFrame? {
        guard !finished else { return nil }
        let frame: TrackFrame
        do {
            if try scanner.atEnd() {
                finished = true
                return nil
            }
            lineNumber += 1
            scanner.beginLine()
            frame = try TrackLineParser(scanner: scanner).frame()
            _ = try scanner.endLine()
        } catch {
            if let failure = readFailure(error, line: lineNumber) { throw failure }
            if try isCutLastLine(error) {
                finished = true
                warnings.append("its last line (\(lineNumber)) is incomplete and was left out")
                return nil
            }
            throw PosePipeError.badTracks(path: path, reason: "line \(lineNumber) is not a frame record")
        }
        try TrackFileChecks.check(frame, line: lineNumber, expected: expectedFrame, header: header, path: path)
        expectedFrame += 1
        return frame
    }

    /// Whether a line that failed to parse is the file's last, cut before its newline.
    private func isCutLastLine(_ error: Error) throws -> Bool {
        switch error as? JSONLineScanner.Failure {
        case .cutShort: return true
        case .lineEnded: return false
        default:
            do {
                return try scanner.skipRestOfLine()
            } catch {
                throw readFailure(error, line: lineNumber) ?? PosePipeError.badTracks(path: path, reason: "line \(lineNumber) is not a frame record")
            }
        }
    }

    /// The error for a failure that is not about the line's content: a stop request, a read
    /// error, a line too long to hold.
    private func readFailure(_ error: Error, line: Int) -> PosePipeError? {
        Self.readFailure(error, path: path, line: line, limit: scanner.lineLimit)
    }

    private static func readFailure(_ error: Error, path: String, line: Int, limit: Int) -> PosePipeError? {
        switch error as? JSONLineScanner.Failure {
        case .interrupted: .interrupted
        case .readFailed(let code): .inputUnreadable(path: path, reason: String(cString: strerror(code)))
        case .tooLong: .badTracks(path: path, reason: "line \(line) is longer than \(limit >= 1 << 20 ? "\(limit >> 20) MB" : "\(limit) bytes")")
        default: nil
        }
    }

    /// The number of complete frame lines in the regular file at `path`, counted without parsing
    /// them; nil for a pipe or anything else that cannot be read twice.
    public static func frameLines(in path: String) -> Int? {
        let descriptor = FileName.withCString(path) { open($0, O_RDONLY | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.isRegularFile else { return nil }
        var newlines = 0
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            for byte in block[..<count] where byte == 0x0A { newlines += 1 }
        }
        return max(0, newlines - 1)
    }

    /// Every remaining frame; for small files and tests (large files: call `next`).
    public func readAll() throws -> [TrackFrame] {
        var frames: [TrackFrame] = []
        while let frame = try next() { frames.append(frame) }
        return frames
    }
}
