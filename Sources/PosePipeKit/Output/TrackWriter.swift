import Foundation

/// Output stage: writes JSON Lines to a file or standard output, one complete line at a time,
/// each handed to the kernel as it comes so a reader following the file (`tail -f`) never waits.
///
/// A line is written whole or not at all: when a write fails part-way (a full disk, a file size
/// limit) the file is cut back to the end of the last complete line before the error is thrown,
/// so every line a reader finds is valid JSON.
public final class TrackWriter {
    public let path: String
    private var descriptor: Int32?
    /// Standard output belongs to the process, not to the writer.
    private let closesDescriptor: Bool
    /// Only a regular file can be cut back or synced; pipes and devices cannot.
    private let regular: Bool
    /// Where the last complete line ends.
    private var committed: off_t
    /// Complete lines written so far.
    public private(set) var lines = 0
    /// The output opened by name, by the rule every output follows; nil for a descriptor given.
    private let output: StreamedOutput?

    /// Opens `path` for writing (`-` for standard output) as a `StreamedOutput`: a file is new,
    /// and takes the name (replacing a regular file there) with its first line, so a run that
    /// fails before writing anything leaves what was there untouched.
    public init(path: String) throws {
        self.path = path
        let output = try StreamedOutput(path: path)
        self.output = output
        descriptor = output.descriptor
        closesDescriptor = false
        (regular, committed) = Self.position(of: output.descriptor)
    }

    /// Writes to `descriptor`, a file already open for writing (a temporary file created for
    /// this writer), and closes it when done; `path` names it in errors.
    public init(descriptor: Int32, path: String) {
        self.path = path
        self.descriptor = descriptor
        closesDescriptor = true
        output = nil
        (regular, committed) = Self.position(of: descriptor)
    }

    deinit {
        if let descriptor, closesDescriptor { Foundation.close(descriptor) }
    }

    private static func position(of descriptor: Int32) -> (regular: Bool, offset: off_t) {
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.isRegularFile else { return (false, 0) }
        return (true, max(0, lseek(descriptor, 0, SEEK_CUR)))
    }

    /// Writes `line` and a newline.
    /// - Throws: `outputClosed` when standard output's reader went away (`| head`), else
    ///   `outputUnwritable`, after cutting the file back to its last complete line.
    public func write(_ line: String) throws {
        guard let descriptor else { throw PosePipeError.outputUnwritable(path: path, reason: "already closed") }
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + sent, $0.count - sent) }
            if count > 0 {
                sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                let code = count == 0 ? ENOSPC : errno
                if regular && sent > 0 {
                    _ = ftruncate(descriptor, committed)
                    _ = lseek(descriptor, committed, SEEK_SET)
                }
                if code == EPIPE { throw PosePipeError.outputClosed(path: path) }
                throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(code)))
            }
        }
        committed += off_t(bytes.count)
        lines += 1
        if lines == 1 { try output?.publish() }
    }

    /// Closes the file once its bytes are on disk, so a file renamed into place afterwards is
    /// never found empty after a crash. Pipes, devices and standard output are left as they are.
    public func close() throws {
        guard let descriptor else { return }
        self.descriptor = nil
        if let output { return try output.close() }
        let synced = !regular || fsync(descriptor) == 0
        let reason = synced ? "" : FileSystem.lastError
        if closesDescriptor && Foundation.close(descriptor) != 0 {
            throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError)
        }
        guard synced else { throw PosePipeError.outputUnwritable(path: path, reason: reason) }
    }
}
