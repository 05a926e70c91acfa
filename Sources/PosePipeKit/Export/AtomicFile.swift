import Foundation

/// A text file written under a temporary name beside its final one and renamed into place only
/// when complete (after `fsync`), so a file with the final name is always whole. `abandon`, or
/// dropping it without `commit`, removes the temporary file.
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?

    /// Creates the temporary file beside `path`; its folder must exist.
    public init(path: String) throws {
        self.path = path
        temporaryPath = OutputGuard.partialPath(of: path)
        guard let opened = fopen(temporaryPath, "w") else {
            throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
        file = opened
    }

    deinit { abandon() }

    /// Appends `text` as UTF-8.
    public func write(_ text: String) throws {
        guard let file else { throw PosePipeError.outputUnwritable(path: path, reason: "already closed") }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == text.utf8.count else {
            throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    /// Flushes, syncs and renames the file to its final name, replacing what was there.
    public func commit() throws {
        guard let file else { return }
        self.file = nil
        let synced = fflush(file) == 0 && fsync(fileno(file)) == 0
        let reason = String(cString: strerror(errno))
        let closed = fclose(file) == 0
        guard synced, closed else {
            unlink(temporaryPath)
            throw PosePipeError.outputUnwritable(path: path, reason: reason)
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw PosePipeError.outputUnwritable(path: path, reason: reason)
        }
    }

    /// Closes and removes the temporary file; the final name is left as it was.
    public func abandon() {
        guard let file else { return }
        self.file = nil
        fclose(file)
        unlink(temporaryPath)
    }
}
