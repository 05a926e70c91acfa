import Foundation

/// Creating and replacing output files without following anything another user put in the way.
///
/// An output folder may be shared, and a hidden name like `.b.mp4.jsonl.partial` is easy to
/// guess: a symbolic link planted there must not make posepipe write through it. So a temporary
/// file is always a new file of posepipe's own (`O_CREAT|O_EXCL|O_NOFOLLOW`, a random name), and a
/// finished file is renamed only onto nothing or onto a regular file, never onto a device, a
/// pipe, a link or a folder that happens to carry the name.
public enum OutputFiles {
    /// Creates a new, empty file in `folder` named `prefix.<random>.tmp`, open for writing.
    /// - Parameter reportedAs: the path an error names (the user's, not the temporary one).
    public static func createTemporary(in folder: String, prefix: String, reportedAs: String) throws -> (descriptor: Int32, path: String) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let path = join(folder, prefix + "." + String(generator.next() as UInt64, radix: 16) + ".tmp")
            let descriptor = FileName.withCString(path) {
                open($0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o666)
            }
            if descriptor >= 0 { return (descriptor, path) }
            guard errno == EEXIST else {
                throw PosePipeError.outputUnwritable(path: reportedAs, reason: FileSystem.lastError)
            }
        }
        throw PosePipeError.outputUnwritable(path: reportedAs, reason: "no free temporary name beside it")
    }

    /// Throws unless `path` is absent or a regular file, the only things a rename may replace.
    public static func checkReplaceable(_ path: String) throws {
        guard let status = FileSystem.linkStatus(path) else {
            guard errno == ENOENT else { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
            return
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: throw PosePipeError.outputUnwritable(path: path, reason: "Is a directory")
        case S_IFLNK: throw PosePipeError.outputUnwritable(path: path, reason: "is a symbolic link; posepipe replaces only regular files")
        default: throw PosePipeError.outputUnwritable(path: path, reason: "not a regular file; posepipe replaces only regular files")
        }
    }

    /// Renames `temporary` to `target` once `target` is found absent or a regular file.
    public static func replace(_ target: String, with temporary: String) throws {
        try checkReplaceable(target)
        let renamed = FileName.withCString(temporary) { from in FileName.withCString(target) { rename(from, $0) } }
        guard renamed == 0 else { throw PosePipeError.outputUnwritable(path: target, reason: FileSystem.lastError) }
    }

    /// Removes the name `path` (a file, a link, a pipe: never what a link points to).
    @discardableResult
    public static func remove(_ path: String) -> Bool {
        FileName.withCString(path) { unlink($0) } == 0
    }

    /// The folder holding `path` and the last component of `path`.
    public static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.index(after: slash)...]))
    }

    static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}
