import Foundation

/// Refuses an output that is the input itself: `posepipe v.mp4 -o v.mp4` (or through a link or a
/// second hard link) would truncate the video before reading it.
public enum InputGuard {
    /// Throws `badUsage` when `output` names the same file (device and inode) as `input`, a
    /// path, a `file:` URL, or `-` for whatever standard input is.
    public static func checkOutput(_ output: String, isNot input: String) throws {
        guard output != "-", let written = FileSystem.status(output) else { return }
        let read: stat?
        switch InputLocation(input) {
        case .standardInput:
            var status = stat()
            read = fstat(STDIN_FILENO, &status) == 0 ? status : nil
        case .file(let path):
            read = FileSystem.status(path)
        case .url:
            read = nil
        }
        // Only a regular file is destroyed by being written; /dev/null may well be both.
        guard let read, read.isRegularFile, read.isSameFile(as: written) else { return }
        throw PosePipeError.badUsage("-o \(output) is the input itself; posepipe does not overwrite its input")
    }

    /// Whether `path` is one of `files` (by device and inode), for outputs written beside many inputs.
    public static func isAmong(_ path: String, _ files: [String]) -> Bool {
        guard let target = FileSystem.status(path) else { return false }
        return files.contains { FileSystem.status($0)?.isSameFile(as: target) == true }
    }
}
