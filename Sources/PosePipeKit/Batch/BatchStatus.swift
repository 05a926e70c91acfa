import Foundation

/// One view of a folder run, sharded or not, while it runs or after: how many clips are done, in
/// flight, failed and left, overall and per shard (`posepipe status`). Read from the output folder
/// (finished files, `.partial` files and their locks) and the tasks' reports; nothing is run.
public struct BatchStatus: Sendable, Equatable, Codable {
    /// Counts of one set of clips (the whole folder, or one shard).
    public struct Counts: Sendable, Equatable, Codable {
        public var total = 0
        public var done = 0
        public var inFlight = 0
        public var failed = 0
        public var left = 0

        public init() {}

        mutating func add(_ state: ClipState.State) {
            total += 1
            switch state {
            case .done: done += 1
            case .inFlight: inFlight += 1
            case .failed: failed += 1
            case .left: left += 1
            }
        }

        /// `3 done, 1 in flight, 1 failed, 1 left of 6 clips` (counts of 0 left out, but done).
        public var summary: String {
            var parts = ["\(done) done"]
            if inFlight > 0 { parts.append("\(inFlight) in flight") }
            if failed > 0 { parts.append("\(failed) failed") }
            if left > 0 { parts.append("\(left) left") }
            return parts.joined(separator: ", ") + " of \(total) clip\(total == 1 ? "" : "s")"
        }
    }

    /// One shard's counts, and its newest report.
    public struct ShardCounts: Sendable, Equatable, Codable {
        /// `K/N`.
        public var shard: String
        public var counts: Counts
        /// Its newest report, when one was read.
        public var report: String?
    }

    public var input: String
    public var output: String
    /// The reports read (those about this output folder).
    public var reports: [String]
    /// The whole folder.
    public var counts: Counts
    /// Per shard, when the reports say the run is sharded (K/N with N > 1); N from the newest.
    public var shards: [ShardCounts]
    /// Every clip, in list order.
    public var clips: [ClipState]
    /// Files of the folder that are not video.
    public var notVideo: [SkippedFile]

    /// Whether every clip is done.
    public var complete: Bool

    public init(input: String, output: String, reports: ShardReports, clips: [ClipState], notVideo: [SkippedFile]) {
        self.input = input
        self.output = output
        self.reports = reports.entries.map(\.path)
        self.clips = clips
        self.notVideo = notVideo
        counts = Counts()
        for clip in clips { counts.add(clip.state) }
        complete = counts.done == counts.total
        shards = []
        if let count = reports.shardCount {
            // Positions K, K+N…: the same split every task computed.
            shards = (0..<count).compactMap { try? Shard(parsing: "\($0)/\(count)") }.map { shard in
                var mine = Counts()
                for (position, clip) in clips.enumerated() where shard.includes(position: position) { mine.add(clip.state) }
                return ShardCounts(shard: shard.description, counts: mine, report: reports.newest(of: shard)?.path)
            }
        }
    }

    /// As one line of JSON, keys sorted (like `--report`).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
