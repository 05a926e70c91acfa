import Foundation

/// A batch's outcome: the summary on stderr, and with `--report FILE` the same as JSON.
public struct BatchReport: Sendable, Equatable, Codable {
    public var input: String
    public var output: String
    /// `K/N`; `0/1` without `--shard`.
    public var shard: String
    /// Clips of this shard by outcome.
    public var done: Int
    public var skipped: Int
    public var failed: Int
    public var interrupted: Int
    public var pending: Int
    /// Clips another run was processing, left to it.
    public var busy: Int
    /// Frames written by this run (skipped clips not counted).
    public var frames: Int
    /// Wall time of the whole run, scanning included, to the millisecond.
    public var seconds: Double
    /// Every clip of this shard, in list order.
    public var clips: [ClipReport]
    /// Files of the folder that are not video (listed by every shard).
    public var notVideo: [SkippedFile]

    public init(input: String, output: String, shard: Shard, clips: [ClipReport], notVideo: [SkippedFile], seconds: Double) {
        self.input = input
        self.output = output
        self.shard = shard.description
        self.clips = clips
        self.notVideo = notVideo
        self.seconds = (seconds * 1000).rounded() / 1000
        func count(_ status: ClipReport.Status) -> Int { clips.filter { $0.status == status }.count }
        done = count(.done)
        skipped = count(.skipped)
        failed = count(.failed)
        interrupted = count(.interrupted)
        pending = count(.pending)
        busy = count(.busy)
        frames = clips.reduce(0) { $0 + $1.frames }
    }

    /// The closing line on stderr (without `posepipe: `).
    public var summary: String {
        var parts = ["\(done) done"]
        if skipped > 0 { parts.append("\(skipped) skipped (output exists)") }
        if failed > 0 { parts.append("\(failed) failed") }
        if interrupted > 0 { parts.append("\(interrupted) interrupted") }
        if pending > 0 { parts.append("\(pending) not started") }
        if busy > 0 { parts.append("\(busy) left to another run") }
        var text = parts.joined(separator: ", ") + " of \(clips.count) clip\(clips.count == 1 ? "" : "s")"
        if shard != Shard.whole.description { text += " (shard \(shard))" }
        if !notVideo.isEmpty { text += "; \(notVideo.count) other file\(notVideo.count == 1 ? "" : "s") not video" }
        text += String(format: "; %d frames in %.1f s", frames, seconds)
        return text
    }

    /// Writes the report as one line of JSON (keys sorted, so reruns diff cleanly; `jq .` shows it
    /// indented), through a new temporary file renamed into place once complete, like the track files.
    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json: String
        do {
            json = String(decoding: try encoder.encode(self), as: UTF8.self)
        } catch {
            throw PosePipeError.outputUnwritable(path: path, reason: "\(error)")
        }
        try Self.checkNamesAFile(path)
        let (folder, name) = OutputFiles.split(path)
        let temporary = try OutputFiles.createTemporary(in: folder, prefix: "." + name, reportedAs: path)
        do {
            let writer = TrackWriter(descriptor: temporary.descriptor, path: path)
            try writer.write(json)
            try writer.close()
            try OutputFiles.replace(path, with: temporary.path)
        } catch {
            OutputFiles.remove(temporary.path)
            throw error
        }
    }

    /// Fails now, not after hours of clips, when the report could not be written at the end:
    /// a path that names no file, a folder (the output folder among them), a device or pipe, or
    /// a folder where no file can be created.
    public static func checkWritable(_ path: String, outputFolder: String) throws {
        try checkNamesAFile(path)
        if URL(fileURLWithPath: path).standardizedFileURL.path == URL(fileURLWithPath: outputFolder).standardizedFileURL.path {
            throw PosePipeError.outputUnwritable(path: path, reason: "it is the output folder")
        }
        try OutputFiles.checkReplaceable(path)
        let (folder, name) = OutputFiles.split(path)
        let temporary = try OutputFiles.createTemporary(in: folder, prefix: "." + name, reportedAs: path)
        Foundation.close(temporary.descriptor)
        OutputFiles.remove(temporary.path)
    }

    private static func checkNamesAFile(_ path: String) throws {
        if path.isEmpty { throw PosePipeError.outputUnwritable(path: "''", reason: "an empty path names no file") }
        if path.hasSuffix("/") { throw PosePipeError.outputUnwritable(path: path, reason: "names a folder, not a file") }
    }
}
