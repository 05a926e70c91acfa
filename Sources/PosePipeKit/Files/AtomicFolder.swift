import Foundation

/// A folder of files filled under a new temporary name beside its final one and renamed into
/// place when complete; a folder already at the final name (an earlier export) is replaced only
/// then, and anything else there — a file, a link — is refused, never written through.
public final class AtomicFolder {
    public let path: String
    public let temporaryPath: String
    private var open = true

    /// Creates the (empty) temporary folder; the parent must exist.
    public init(path: String) throws {
        self.path = path
        try Self.checkReplaceable(path)
        temporaryPath = try Self.makeFolder(beside: path)
    }

    deinit { abandon() }

    /// Writes one whole file `name` into the folder, as a new file.
    public func write(_ text: String, to name: String) throws {
        let target = temporaryPath + "/" + name
        let descriptor = FileName.withCString(target) { Glibc.open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666) }
        guard descriptor >= 0 else { throw PosePipeError.outputUnwritable(path: path + "/" + name, reason: FileSystem.lastError) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + sent, $0.count - sent) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw PosePipeError.outputUnwritable(path: path + "/" + name, reason: count == 0 ? String(cString: strerror(ENOSPC)) : FileSystem.lastError)
            }
            sent += count
        }
    }

    /// Puts the folder at its final name, replacing an earlier folder there.
    public func commit() throws {
        guard open else { return }
        open = false
        // Files are written but not synced one by one: a folder holds thousands of small frame
        // files, and it is the rename after the last of them that marks the folder complete.
        do {
            try Self.checkReplaceable(path)
            var old: String?
            if FileSystem.linkStatus(path) != nil {
                let aside = try Self.makeFolder(beside: path)
                try rename(path, to: aside)
                old = aside
            }
            try rename(temporaryPath, to: path)
            if let old { try? FileManager.default.removeItem(atPath: old) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
    }

    /// Removes the temporary folder; the final one is left as it was.
    public func abandon() {
        guard open else { return }
        open = false
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    /// Only a folder (an earlier export), or nothing, may be at the final name.
    private static func checkReplaceable(_ path: String) throws {
        guard let status = FileSystem.linkStatus(path) else { return }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: return
        case S_IFLNK: throw PosePipeError.outputUnwritable(path: path, reason: "is a symbolic link; posepipe replaces only folders it wrote")
        default: throw PosePipeError.outputUnwritable(path: path, reason: "Not a directory")
        }
    }

    /// A new empty folder `.NAME.<random>.tmp` beside `path` (mkdir never follows a link there).
    private static func makeFolder(beside path: String) throws -> String {
        let (folder, name) = OutputFiles.split(path)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let candidate = (folder.hasSuffix("/") ? folder : folder + "/") + "." + name + "." + String(generator.next() as UInt64, radix: 16) + ".tmp"
            if FileName.withCString(candidate, { mkdir($0, 0o777) }) == 0 { return candidate }
            guard errno == EEXIST else { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
        }
        throw PosePipeError.outputUnwritable(path: path, reason: "no free temporary name beside it")
    }

    private func rename(_ from: String, to target: String) throws {
        let renamed = FileName.withCString(from) { a in FileName.withCString(target) { Glibc.rename(a, $0) } }
        guard renamed == 0 else { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
    }
}
