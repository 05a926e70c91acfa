import Foundation

/// Checks made before any output is written: an output must never replace what it is made from.
public enum OutputGuard {
    /// Refuses `output` when it is the same file (or folder) as one of `inputs`, by device and
    /// inode when it exists, so `-o tracks.jsonl` on `tracks.jsonl` or through a link is caught.
    public static func refuseOverwriting(_ inputs: [String], with output: String) throws {
        guard output != "-" else { return }
        var out = stat()
        let outputExists = stat(output, &out) == 0
        for input in inputs where input != "-" {
            var inp = stat()
            let same = outputExists && stat(input, &inp) == 0 ? inp.st_dev == out.st_dev && inp.st_ino == out.st_ino
                : URL(fileURLWithPath: input).standardizedFileURL == URL(fileURLWithPath: output).standardizedFileURL
            if same {
                throw PosePipeError.badUsage("\(output) is the input \(input); choose another output, the input is never overwritten")
            }
        }
    }

    /// The hidden name a finished `path` is written under until it is complete:
    /// `dir/name` → `dir/.name.partial`, as folder runs name their clips' tracks.
    public static func partialPath(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent("." + url.lastPathComponent + BatchLayout.partialSuffix).path
    }
}
