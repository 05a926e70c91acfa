import Foundation

/// Checks made before any output is written: an output must never replace what it is made from.
public enum OutputGuard {
    /// Refuses `output` when it is the same file (or folder) as one of `inputs`, so `-o tracks.jsonl`
    /// on `tracks.jsonl`, or on a link to it, is caught.
    public static func refuseOverwriting(_ inputs: [String], with output: String) throws {
        for input in inputs where isSameFile(input, output) {
            throw PosePipeError.badUsage("\(output) is the input \(input); choose another output, the input is never overwritten")
        }
    }

    /// Whether `a` and `b` name one file: by device and inode when both exist, else by path.
    /// Standard input and output (`-`) are nobody's file.
    public static func isSameFile(_ a: String, _ b: String) -> Bool {
        guard a != "-", b != "-" else { return false }
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0 && stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        return URL(fileURLWithPath: a).standardizedFileURL == URL(fileURLWithPath: b).standardizedFileURL
    }

    /// The hidden name a finished `path` is written under until it is complete:
    /// `dir/name` → `dir/.name.partial`, as folder runs name their clips' tracks.
    public static func partialPath(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + BatchLayout.partialSuffix).path
    }
}
