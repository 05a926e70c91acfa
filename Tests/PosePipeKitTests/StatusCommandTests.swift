import Foundation
import Testing
@testable import PosePipeKit

/// `posepipe status` on folder runs that are running, stopped by SIGTERM, killed, failed and
/// sharded: what it says must match what the runs left.
@Suite struct StatusCommandTests {
    let root = Fixtures.scratch()
    var clips: String { root.appendingPathComponent("clips").path }
    var tracks: String { root.appendingPathComponent("tracks").path }
    var reports: String { root.appendingPathComponent("reports").path }

    func lines(_ path: String) -> Int {
        (FileManager.default.contents(atPath: path) ?? Data()).filter { $0 == UInt8(ascii: "\n") }.count
    }

    func status(_ extra: [String] = []) throws -> CLI.Outcome {
        let outcome = try CLI.run(["status", clips, "-o", tracks] + extra)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        return outcome
    }

    func json(_ extra: [String] = []) throws -> BatchStatus {
        try JSONDecoder().decode(BatchStatus.self, from: Data(try status(extra + ["--json"]).stdout.utf8))
    }

    /// a-long.mp4 (40 frames), b-short.mp4 (3), c-broken.mp4 (half an MP4, unreadable).
    func makeClips() throws {
        for folder in [clips, reports] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/a-long.mp4"), frames: 40)
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/b-short.mp4"), frames: 3, start: 5)
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/c-broken.mp4"), frames: 10)
        try Fixtures.truncate(URL(fileURLWithPath: clips + "/c-broken.mp4"), keeping: 0.5)
    }

    /// Starts a run of the folder and returns once the long clip has `frames` frames in its partial.
    func startRun(until frames: Int) throws -> Process {
        let process = try CLI.start([clips, "-o", tracks, "--threads", "1", "--report", reports + "/run.json"],
                                    stderrFile: root.appendingPathComponent("stderr.txt"))
        #expect(TrackFile.wait(for: tracks + "/.a-long.mp4.jsonl.partial", lines: frames + 1))
        return process
    }

    @Test func followsARunInFlightStoppedKilledAndFinished() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        let partial = tracks + "/.a-long.mp4.jsonl.partial"
        let running = try startRun(until: 2)
        let live = try status().stdout.split(separator: "\n").map(String.init)
        #expect(live.first == "\(clips) → \(tracks): 0 done, 1 in flight, 2 left of 3 clips")
        let soFar = try #require(live.first { $0.hasPrefix("in flight: \(clips)/a-long.mp4: ") })
        #expect(soFar.hasSuffix(" frames so far") && Int(soFar.split(separator: " ")[3]).map { $0 >= 2 && $0 < 40 } == true, "\(soFar)")
        #expect(live.last == "left: \(clips)/c-broken.mp4: not started")

        // SIGTERM: the run finishes its frames in flight, keeps them and writes its report.
        kill(running.processIdentifier, SIGTERM)
        running.waitUntilExit()
        #expect(running.terminationStatus == 143)
        let kept = lines(partial) - 1
        let stopped = try status(["--report-dir", reports]).stdout
        #expect(stopped == """
            \(clips) → \(tracks): 0 done, 3 left of 3 clips (1 report read)
            left: \(clips)/a-long.mp4: \(kept) frames kept in \(partial); the next run starts it again
            left: \(clips)/b-short.mp4: not started
            left: \(clips)/c-broken.mp4: not started

            """)

        // SIGKILL: nothing finishes; only the partial's complete lines count.
        let killed = try startRun(until: 3)
        kill(killed.processIdentifier, SIGKILL)
        killed.waitUntilExit()
        let afterKill = try json(["--report-dir", reports])
        #expect(afterKill.clips[0].state == .left && afterKill.clips[0].frames == lines(partial) - 1 && lines(partial) >= 4)

        // A run to the end: the broken clip fails, and its report says why.
        let finish = try CLI.run([clips, "-o", tracks, "--quiet", "--report", reports + "/run.json"])
        #expect(finish.status == 75, "stderr: \(finish.stderr)")
        let end = try status(["--report-dir", reports]).stdout.split(separator: "\n").map(String.init)
        #expect(end == ["\(clips) → \(tracks): 2 done, 1 failed of 3 clips (1 report read)",
                        "failed: \(clips)/c-broken.mp4: not a readable video: \(clips)/c-broken.mp4: moov atom not found (exit 65)"])
        let final = try json(["--report-dir", reports])
        #expect(final.counts.done == 2 && final.counts.failed == 1 && !final.complete)
        #expect(final.clips.map(\.state) == [.done, .done, .failed] && final.clips[2].exitCode == 65)
    }

    @Test func countsEachShardFromTheReports() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        for folder in [clips, reports] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        for (name, start) in [("a.mp4", 0.0), ("b.mp4", 1.0), ("c.mp4", 2.0)] {
            try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/" + name), frames: 2, start: start)
        }
        // Shard 0/2 (a and c) ran; shard 1/2 (b) did not.
        let zero = try CLI.run([clips, "-o", tracks, "--quiet", "--shard", "0/2", "--report", reports + "/0.json"])
        #expect(zero.status == 0, "stderr: \(zero.stderr)")
        let text = try status(["--report-dir", reports]).stdout
        #expect(text == """
            \(clips) → \(tracks): 2 done, 1 left of 3 clips (1 report read)
              shard 0/2: 2 done of 2 clips (report \(reports)/0.json)
              shard 1/2: 0 done, 1 left of 1 clip (no report)
            left: \(clips)/b.mp4 [shard 1]: not started

            """)
        let one = try CLI.run([clips, "-o", tracks, "--quiet", "--shard", "1/2", "--report", reports + "/1.json"])
        #expect(one.status == 0, "stderr: \(one.stderr)")
        let done = try json(["--report-dir", reports])
        #expect(done.complete && done.shards.map(\.counts.done) == [2, 1] && done.reports.count == 2)
    }

    @Test func refusesWhatIsNoFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: root.path + "/file.txt"))
        let onAFile = try CLI.run(["status", clips, "-o", root.path + "/file.txt"])
        #expect(onAFile.status == 64 && onAFile.stderr == "posepipe: status reads an output folder: -o DIR (\(root.path)/file.txt is not one)\n")
        let missing = try CLI.run(["status", root.path + "/nothing", "-o", tracks])
        #expect(missing.status == 66)
        #expect(missing.stderr == "posepipe: cannot read \(root.path)/nothing: cannot list the folder: No such file or directory\n")
    }
}
