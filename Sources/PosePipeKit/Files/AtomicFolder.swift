import Foundation

/// A folder of files filled under a new temporary name beside its final one and renamed into
/// place when complete. A folder already at the final name is replaced only when it holds
/// nothing but files this kind of output writes (`isOwnFile`: an earlier export's frames), and
/// only then; a folder holding anything else (the input, a user's notes), a file or a link
/// there is refused, never emptied or written through.
///
/// `swapIn` puts the new folder in place and keeps the one it replaced aside until `finish`
/// (which removes it) or `rollBack` (which puts it back), so an output made of a folder and
/// other files lands all together or not at all.
public final class AtomicFolder {
    public let path: String
    public let temporaryPath: String
    private let isOwnFile: (String) -> Bool
    private var open = true
    private var aside: String?
    private var swapped = false

    /// Creates the (empty) temporary folder; the parent must exist.
    /// - Parameter isOwnFile: whether a name in an existing folder is one this output writes.
    public init(path: String, isOwnFile: @escaping (String) -> Bool) throws {
        self.path = path
        self.isOwnFile = isOwnFile
        try Self.checkReplaceable(path, isOwnFile: isOwnFile)
        temporaryPath = try Self.makeFolder(beside: path)
    }

    deinit {
        if swapped { finish() } else { abandon() }
    }

    /// Writes one whole file `name` into the folder, as a new file.
    public func write(_ text: String, to name: String) throws {
        let target = temporaryPath + "/" + name
        let descriptor = FileName.withCString(target) { Glibc.open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666) }
        guard descriptor >= 0 else { throw PosePipeError.outputUnwritable(path: path + "/" + name, reason: FileSystem.lastError) }
        defer { close(descriptor) }
        var bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeMutableBytes { Glibc.write(descriptor, $0.baseAddress! + sent, $0.count - sent) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw PosePipeError.outputUnwritable(path: path + "/" + name, reason: count == 0 ? String(cString: strerror(ENOSPC)) : FileSystem.lastError)
            }
            sent += count
        }
    }

    /// Puts the folder at its final name, replacing an earlier folder there (kept aside until
    /// `finish` or `rollBack`).
    public func swapIn() throws {
        guard open else { return }
        open = false
        // Files are written but not synced one by one: a folder holds thousands of small frame
        // files, and it is the rename after the last of them that marks the folder complete.
        do {
            try Self.checkReplaceable(path, isOwnFile: isOwnFile)
            if FileSystem.linkStatus(path) != nil {
                let folder = try Self.makeFolder(beside: path)
                try rename(path, to: folder)
                aside = folder
            }
            try rename(temporaryPath, to: path)
            swapped = true
        } catch {
            if let aside { try? rename(aside, to: path) }
            aside = nil
            try? FileManager.default.removeItem(atPath: temporaryPath)
            throw error
        }
    }

    /// Removes the folder that was replaced.
    public func finish() {
        swapped = false
        if let aside { try? FileManager.default.removeItem(atPath: aside) }
        aside = nil
    }

    /// Takes the new folder away again and puts back the one it replaced, if any.
    public func rollBack() {
        guard swapped else { return }
        swapped = false
        try? FileManager.default.removeItem(atPath: path)
        if let aside { try? rename(aside, to: path) }
        aside = nil
    }

    /// `swapIn`, then `finish`.
    public func commit() throws {
        try swapIn()
        finish()
    }

    /// Removes the temporary folder; the final one is left as it was.
    public func abandon() {
        guard open else { return }
        open = false
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    /// Only nothing, or a folder of this output's own files, may be at the final name.
    private static func checkReplaceable(_ path: String, isOwnFile: (String) -> Bool) throws {
        guard let status = FileSystem.linkStatus(path) else { return }
        switch status.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw PosePipeError.outputUnwritable(path: path, reason: "is a symbolic link; posepipe replaces only folders it wrote")
        default: throw PosePipeError.outputUnwritable(path: path, reason: "Not a directory")
        }
        guard let names = FileSystem.names(in: path) else {
            throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError)
        }
        let foreign = names.filter { name in !isOwnFile(name) || FileSystem.linkStatus(path + "/" + name)?.isRegularFile != true }.sorted()
        guard foreign.isEmpty else {
            let shown = foreign.prefix(3).joined(separator: ", ") + (foreign.count > 3 ? ", …" : "")
            throw PosePipeError.outputUnwritable(
                path: path, reason: "it holds \(foreign.count == 1 ? "a file" : "\(foreign.count) files") posepipe did not write (\(shown)); posepipe replaces only a folder it wrote")
        }
    }

    /// A new empty folder `.NAME.<random>.tmp` beside `path` (mkdir never follows a link there).
    private static func makeFolder(beside path: String) throws -> String {
        let (folder, name) = OutputFiles.split(path)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let candidate = OutputFiles.join(folder, "." + name + "." + String(generator.next() as UInt64, radix: 16) + ".tmp")
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
