import Foundation

/// Checks made before any output is written: an output must never replace what it is made from.
public enum OutputGuard {
    /// Refuses `output` when it is one of `inputs` (the same file, through any name), as runs do.
    public static func refuseOverwriting(_ inputs: [String], with output: String) throws {
        for input in inputs { try InputGuard.checkOutput(output, isNot: input) }
    }

    /// Whether two outputs of one command would land on one file: by device and inode when both
    /// exist, else by path. Standard output (`-`) is nobody's file.
    public static func isSameFile(_ a: String, _ b: String) -> Bool {
        guard a != "-", b != "-" else { return false }
        if let sa = FileSystem.status(a), let sb = FileSystem.status(b) { return sa.isSameFile(as: sb) }
        return URL(fileURLWithPath: a).standardizedFileURL == URL(fileURLWithPath: b).standardizedFileURL
    }
}
