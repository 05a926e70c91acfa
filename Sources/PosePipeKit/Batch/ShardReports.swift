import Foundation

/// The `--report` files of a folder run's tasks (one per shard, or per rerun), read back.
///
/// Only reports about the same output folder count. A clip's latest news is the newest report
/// (by modification time) that processed it (done, failed or interrupted): a report that skipped
/// it, found it busy or never reached it says nothing about how its processing went.
public struct ShardReports: Sendable {
    public struct Entry: Sendable {
        public var path: String
        public var modified: Double
        public var report: BatchReport
    }

    /// Reports about the output folder, oldest first.
    public private(set) var entries: [Entry] = []
    /// What was not read, one line each (a file that is no report, a report of another folder).
    public private(set) var notes: [String] = []

    public init(entries: [Entry] = [], notes: [String] = []) {
        self.entries = entries.sorted { $0.modified < $1.modified }
        self.notes = notes
    }

    /// Reads every `*.json` file directly in `folder` that is a report about `output`.
    public static func read(folder: String, output: String) -> ShardReports {
        guard let names = FileSystem.names(in: folder) else {
            return ShardReports(notes: ["no reports read: cannot list \(folder): \(FileSystem.lastError)"])
        }
        let outputFile = FileSystem.status(output)
        var entries: [Entry] = [], notes: [String] = []
        for name in names.sorted(by: ClipCatalog.byteOrder) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = OutputFiles.join(folder, name)
            guard let status = FileSystem.status(path), status.isRegularFile,
                  let data = FileBytes.read(path),
                  let report = try? JSONDecoder().decode(BatchReport.self, from: data) else {
                notes.append("ignoring \(path): not a posepipe report")
                continue
            }
            guard isSameFolder(report.output, output, outputFile) else {
                notes.append("ignoring \(path): it reports on \(report.output), not \(output)")
                continue
            }
            let modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
            entries.append(Entry(path: path, modified: modified, report: report))
        }
        return ShardReports(entries: entries, notes: notes)
    }

    /// N of the newest sharded report's K/N; nil when no report is of a sharded run.
    public var shardCount: Int? {
        entries.reversed().lazy.compactMap { try? Shard(parsing: $0.report.shard) }.first { $0.count > 1 }?.count
    }

    /// The newest report entry that processed `clip`.
    public func lastOutcome(of clip: String) -> ClipReport? {
        for entry in entries.reversed() {
            if let report = entry.report.clips.last(where: { $0.clip == clip && [.done, .failed, .interrupted].contains($0.status) }) {
                return report
            }
        }
        return nil
    }

    /// The newest report of shard `shard`.
    public func newest(of shard: Shard) -> Entry? {
        entries.last { $0.report.shard == shard.description }
    }

    /// The same folder by device and inode when both exist (a report may name it by another
    /// path, relative to its task's working folder), else by the standardised path.
    private static func isSameFolder(_ named: String, _ output: String, _ outputFile: stat?) -> Bool {
        if let outputFile, let namedFile = FileSystem.status(named) { return namedFile.isSameFile(as: outputFile) }
        return URL(fileURLWithPath: named).standardizedFileURL.path == URL(fileURLWithPath: output).standardizedFileURL.path
    }
}
