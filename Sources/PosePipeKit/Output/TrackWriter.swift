import Foundation

/// Output stage: writes JSON Lines to a file or standard output, one complete line at a time,
/// flushed per line so a reader following the file (`tail -f`) never sees half a record.
public final class TrackWriter {
    public let path: String
    private var file: UnsafeMutablePointer<FILE>?

    /// Opens `path` for writing (`-` for standard output), replacing what is there.
    public init(path: String) throws {
        self.path = path
        // fdopen, not the C `stdout` global: Swift 6 rightly refuses shared mutable globals.
        guard let opened = path == "-" ? fdopen(STDOUT_FILENO, "w") : fopen(path, "w") else {
            throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
        file = opened
    }

    deinit {
        if let file { fclose(file) }
    }

    /// Writes `line` and a newline, then flushes.
    public func write(_ line: String) throws {
        guard let file else { throw PosePipeError.outputUnwritable(path: path, reason: "already closed") }
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == bytes.count, fflush(file) == 0 else {
            throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Closes the file once its bytes are on disk, so a file renamed into place afterwards is
    /// never found empty after a crash. Pipes, devices and standard output are only flushed.
    public func close() throws {
        guard let file else { return }
        self.file = nil
        var status = stat()
        let regular = fstat(fileno(file), &status) == 0 && status.st_mode & S_IFMT == S_IFREG
        let synced = !regular || fsync(fileno(file)) == 0
        let reason = synced ? "" : String(cString: strerror(errno))
        guard fclose(file) == 0 else {
            throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
        guard synced else { throw PosePipeError.outputUnwritable(path: path, reason: reason) }
    }
}
