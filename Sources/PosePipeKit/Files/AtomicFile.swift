import Foundation

/// A text file written under a new temporary name beside its final one (`OutputFiles`: a file of
/// its own, never one a link points to) and renamed into place only when complete, after
/// `fsync`, so a file with the final name is always whole. `abandon`, or dropping it without
/// `commit`, removes the temporary file.
public final class AtomicFile {
    public let path: String
    public let temporaryPath: String
    private var file: UnsafeMutablePointer<FILE>?

    /// Creates the temporary file beside `path`; its folder must exist.
    public init(path: String) throws {
        self.path = path
        try OutputFiles.checkReplaceable(path)
        let (folder, name) = OutputFiles.split(path)
        let temporary = try OutputFiles.createTemporary(in: folder, prefix: "." + name, reportedAs: path)
        temporaryPath = temporary.path
        guard let opened = fdopen(temporary.descriptor, "w") else {
            let reason = FileSystem.lastError
            close(temporary.descriptor)
            OutputFiles.remove(temporary.path)
            throw PosePipeError.outputUnwritable(path: path, reason: reason)
        }
        file = opened
    }

    deinit { abandon() }

    /// Appends `text` as UTF-8.
    public func write(_ text: String) throws {
        guard let file else { throw PosePipeError.outputUnwritable(path: path, reason: "already closed") }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, file) }
        guard written == text.utf8.count else { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
    }

    /// Flushes, syncs and renames the file to its final name, replacing a regular file there.
    public func commit() throws {
        guard let file else { return }
        self.file = nil
        let synced = fflush(file) == 0 && fsync(fileno(file)) == 0
        let reason = FileSystem.lastError
        let closed = fclose(file) == 0
        do {
            guard synced, closed else { throw PosePipeError.outputUnwritable(path: path, reason: reason) }
            try OutputFiles.replace(path, with: temporaryPath)
        } catch {
            OutputFiles.remove(temporaryPath)
            throw error
        }
    }

    /// Closes and removes the temporary file; the final name is left as it was.
    public func abandon() {
        guard let file else { return }
        self.file = nil
        fclose(file)
        OutputFiles.remove(temporaryPath)
    }
}
