import Foundation

/// Where each clip of a batch is read and written: `clips/a/b.mp4` → `tracks/a/b.mp4.jsonl`.
///
/// The clip's whole name is kept (`b.mp4.jsonl`, not `b.jsonl`), so `b.mp4` and `b.mov` side by
/// side get two outputs. A clip is written to `tracks/a/.b.mp4.jsonl.partial` first and renamed
/// when complete, so a file with the final name is always a finished one.
public struct BatchLayout: Sendable, Equatable {
    public let input: String
    public let output: String
    public static let outputSuffix = ".jsonl"
    public static let partialSuffix = ".partial"

    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }

    /// The clip's path as opened (and named in its header's `source`).
    public func source(of clip: String) -> String {
        Self.join(input, clip)
    }

    /// The finished track file of `clip` (a path relative to the batch folder).
    public func output(of clip: String) -> String {
        Self.join(output, clip) + Self.outputSuffix
    }

    /// The hidden file `clip`'s tracks are written to until they are complete.
    public func partial(of clip: String) -> String {
        let (folder, name) = OutputFiles.split(output(of: clip))
        return OutputFiles.join(folder, "." + name + Self.partialSuffix)
    }

    /// Whether `clip` has a finished output.
    public func isDone(_ clip: String) -> Bool {
        FileSystem.status(output(of: clip)) != nil
    }

    private static func join(_ folder: String, _ relative: String) -> String {
        folder.hasSuffix("/") ? folder + relative : folder + "/" + relative
    }

    /// `mkdir -p` with the system's reason when it fails (FileManager's error names none).
    public static func makeFolder(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            if FileName.withCString(current, { mkdir($0, 0o777) }) == 0 || errno == EEXIST {
                if FileSystem.status(current)?.isDirectory == true { continue }
                errno = ENOTDIR
            }
            throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}
