import Foundation

/// An output written while it is made (a run's tracks, a snapshot's PNG), by the rule every
/// posepipe output follows (`OutputFiles`):
///
/// - `-` is standard output;
/// - a named pipe or a character device (`/dev/null`, a terminal) that the user names is streamed
///   into as standard output would be; a pipe that nobody reads is refused at once (73) instead of
///   blocking the open until someone does;
/// - any other name is a regular file: the output is a new file under a temporary name beside it,
///   renamed onto the name by `publish` (onto nothing or a regular file). A symbolic link, a folder
///   or any other kind of file there is refused (73) and left as it was; renaming replaces only the
///   name, so another hard link to the file it replaces keeps its content.
public final class StreamedOutput {
    public let path: String
    public let descriptor: Int32
    /// Only a regular file can be synced and cut back; pipes and devices cannot.
    public let isRegularFile: Bool
    /// The temporary name while the file has not been renamed into place.
    public private(set) var temporaryPath: String?
    /// Standard output belongs to the process, not to the output.
    private let ownsDescriptor: Bool
    private var closed = false

    /// - Parameter streams: whether `-`, a named pipe or a device may take the output; when
    ///   false (a file renamed into place whole: an export, a plot) they are refused like links.
    public init(path: String, streams: Bool = true) throws {
        self.path = path
        if streams && path == "-" {
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
            isRegularFile = Self.isRegular(STDOUT_FILENO)
            return
        }
        ownsDescriptor = true
        let kind = FileSystem.linkStatus(path).map { $0.st_mode & S_IFMT }
        if kind == nil && errno != ENOENT { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
        switch kind {
        case S_IFIFO where streams, S_IFCHR where streams:
            descriptor = try Self.openStream(path)
            isRegularFile = false
        default:
            // Absent, or a regular file to replace; anything else is refused here, unopened.
            try OutputFiles.checkReplaceable(path)
            let (folder, name) = OutputFiles.split(path)
            let temporary = try OutputFiles.createTemporary(in: folder, prefix: "." + name, reportedAs: path)
            descriptor = temporary.descriptor
            temporaryPath = temporary.path
            isRegularFile = true
        }
    }

    deinit {
        if !closed && ownsDescriptor { Foundation.close(descriptor) }
        if let temporaryPath { OutputFiles.remove(temporaryPath) }
    }

    /// Opens a pipe or device named by the user for writing, without waiting for a reader.
    private static func openStream(_ path: String) throws -> Int32 {
        let opened = FileName.withCString(path) { open($0, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC) }
        guard opened >= 0 else {
            let reason = errno == ENXIO ? "a named pipe that nobody is reading; start its reader first" : FileSystem.lastError
            throw PosePipeError.outputUnwritable(path: path, reason: reason)
        }
        var status = stat()
        let kind = fstat(opened, &status) == 0 ? status.st_mode & S_IFMT : 0
        // Swapped for something else between the look and the open: nothing is written to it.
        guard kind == S_IFIFO || kind == S_IFCHR else {
            Foundation.close(opened)
            throw PosePipeError.outputUnwritable(path: path, reason: "not a regular file; posepipe replaces only regular files")
        }
        // Once a reader is there, writes wait for it like writes to standard output do.
        _ = fcntl(opened, F_SETFL, fcntl(opened, F_GETFL) & ~O_NONBLOCK)
        return opened
    }

    private static func isRegular(_ descriptor: Int32) -> Bool {
        var status = stat()
        return fstat(descriptor, &status) == 0 && status.isRegularFile
    }

    /// Writes all of `bytes` from `offset` on, retrying interrupted writes; returns the bytes
    /// written and, when it stopped short, the error number (ENOSPC for a write of nothing).
    public func write(_ bytes: UnsafeRawBufferPointer, from offset: Int = 0) -> (sent: Int, error: Int32?) {
        var sent = offset
        while sent < bytes.count {
            let count = Foundation.write(descriptor, bytes.baseAddress! + sent, bytes.count - sent)
            if count > 0 {
                sent += count
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return (sent - offset, count == 0 ? ENOSPC : errno)
            }
        }
        return (sent - offset, nil)
    }

    /// Writes `data` whole, or throws: `outputClosed` when a pipe's reader went away.
    public func writeAll(_ data: Data) throws {
        let result = data.withUnsafeBytes { write($0) }
        guard let code = result.error else { return }
        if code == EPIPE { throw PosePipeError.outputClosed(path: path) }
        throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(code)))
    }

    /// Puts a new file at its final name (its bytes so far, and all later writes, are then
    /// there); nothing for standard output, a pipe or a device, or a file already published.
    public func publish() throws {
        guard let temporary = temporaryPath else { return }
        temporaryPath = nil
        do {
            try OutputFiles.replace(path, with: temporary)
        } catch {
            OutputFiles.remove(temporary)
            throw error
        }
    }

    /// Syncs, renames into place and closes an output written whole (a PNG).
    public func commit() throws {
        if isRegularFile && fsync(descriptor) != 0 { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
        try publish()
        try close()
    }

    /// Syncs a regular file (so a file renamed into place is never found empty after a crash)
    /// and closes what this output opened; a file never published is removed, leaving the final
    /// name as it was.
    public func close() throws {
        guard !closed else { return }
        closed = true
        let synced = !isRegularFile || fsync(descriptor) == 0
        let reason = FileSystem.lastError
        let closedCleanly = !ownsDescriptor || Foundation.close(descriptor) == 0
        let closeReason = FileSystem.lastError
        if let temporaryPath {
            OutputFiles.remove(temporaryPath)
            self.temporaryPath = nil
        }
        guard synced else { throw PosePipeError.outputUnwritable(path: path, reason: reason) }
        guard closedCleanly else { throw PosePipeError.outputUnwritable(path: path, reason: closeReason) }
    }
}
