import Foundation

/// A folder of files filled under a temporary name beside its final one and renamed into place
/// when complete; a folder already at the final name is replaced only then.
public final class AtomicFolder {
    public let path: String
    public let temporaryPath: String
    private var open = true

    /// Creates the (empty) temporary folder; the parent must exist.
    public init(path: String) throws {
        self.path = path
        temporaryPath = OutputGuard.partialPath(of: path)
        try? FileManager.default.removeItem(atPath: temporaryPath)
        guard mkdir(temporaryPath, 0o777) == 0 else {
            throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }

    deinit { abandon() }

    /// Writes one whole file `name` into the folder.
    public func write(_ text: String, to name: String) throws {
        let file = temporaryPath + "/" + name
        guard let handle = fopen(file, "w") else {
            throw PosePipeError.outputUnwritable(path: path + "/" + name, reason: String(cString: strerror(errno)))
        }
        var text = text
        let written = text.withUTF8 { fwrite($0.baseAddress, 1, $0.count, handle) }
        let complete = written == text.utf8.count && fflush(handle) == 0
        let reason = String(cString: strerror(errno))
        fclose(handle)
        guard complete else { throw PosePipeError.outputUnwritable(path: path + "/" + name, reason: reason) }
    }

    /// Puts the folder at its final name, replacing an earlier one.
    public func commit() throws {
        guard open else { return }
        open = false
        // Files are flushed, not synced one by one: a folder holds thousands of small frame
        // files, and it is the rename after the last of them that marks the folder complete.
        let old = OutputGuard.partialPath(of: path) + ".old"
        let replacing = FileManager.default.fileExists(atPath: path)
        if replacing {
            try? FileManager.default.removeItem(atPath: old)
            guard rename(path, old) == 0 else { throw failure() }
        }
        guard rename(temporaryPath, path) == 0 else {
            let error = failure()
            if replacing { rename(old, path) }
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
        if replacing { try? FileManager.default.removeItem(atPath: old) }
    }

    /// Removes the temporary folder; the final one is left as it was.
    public func abandon() {
        guard open else { return }
        open = false
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    private func failure() -> PosePipeError {
        .outputUnwritable(path: path, reason: String(cString: strerror(errno)))
    }
}
