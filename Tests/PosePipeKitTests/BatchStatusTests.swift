import Foundation
import Testing
@testable import PosePipeKit

/// `BatchStatus.read` on output folders laid out as runs leave them, made by hand (no model runs):
/// a finished file, a partial a run holds, a partial a stopped run left, a failure in a report.
@Suite struct BatchStatusTests {
    let root = Fixtures.scratch()
    var clips: String { root.appendingPathComponent("clips").path }
    var tracks: String { root.appendingPathComponent("tracks").path }
    var reportFolder: String { root.appendingPathComponent("reports").path }
    var layout: BatchLayout { BatchLayout(input: clips, output: tracks) }

    /// a.mp4 … e.mp4 (two frames each) and notes.txt; shards of 2: a c e, b d.
    func makeClips() throws {
        for folder in [clips, tracks, reportFolder] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/a.mp4"), frames: 2)
        for name in ["b", "c", "d", "e"] { try FileManager.default.copyItem(atPath: clips + "/a.mp4", toPath: clips + "/\(name).mp4") }
        try Data("shot list\n".utf8).write(to: URL(fileURLWithPath: clips + "/notes.txt"))
    }

    func write(_ text: String, to path: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    func report(shard: String, _ entries: [ClipReport], output: String? = nil) -> BatchReport {
        BatchReport(input: clips, output: output ?? tracks, shard: try! Shard(parsing: shard), clips: entries, notVideo: [], seconds: 1)
    }

    /// Holds `path` locked the way a run holds its partial, until the returned descriptor is closed.
    func lockAsARun(_ path: String) -> Int32 {
        let descriptor = open(path, O_RDONLY)
        #expect(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        return descriptor
    }

    @Test func readsEachClipsStateOverallAndPerShard() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        let header = "{\"schema\":\"posepipe.tracks\"}\n"
        try write(header + "{\"frame\":0}\n", to: layout.output(of: "a.mp4"))
        try write(header + "{\"frame\":0}\n{\"frame\":1}\n{\"frame\":2}\n", to: layout.partial(of: "b.mp4"))
        let held = lockAsARun(layout.partial(of: "b.mp4"))
        defer { close(held) }
        // A run killed mid-write: the cut line is not a frame.
        try write(header + "{\"frame\":0}\n{\"fra", to: layout.partial(of: "c.mp4"))
        let reason = "not a readable video: \(clips)/d.mp4: moov atom not found"
        try report(shard: "0/2", [ClipReport(clip: "a.mp4", status: .done), ClipReport(clip: "c.mp4", status: .interrupted),
                                  ClipReport(clip: "e.mp4", status: .pending)]).write(to: reportFolder + "/0.json")
        try report(shard: "1/2", [ClipReport(clip: "b.mp4", status: .busy),
                                  ClipReport(clip: "d.mp4", status: .failed, reason: reason, exitCode: 65)]).write(to: reportFolder + "/1.json")

        let (status, notes) = try BatchStatus.read(input: clips, output: tracks, reportFolder: reportFolder)
        #expect(notes.isEmpty)
        #expect(status.clips == [
            ClipState(clip: "a.mp4", state: .done, shard: 0, output: layout.output(of: "a.mp4")),
            ClipState(clip: "b.mp4", state: .inFlight, shard: 1, partial: layout.partial(of: "b.mp4"), frames: 3),
            ClipState(clip: "c.mp4", state: .left, shard: 0, partial: layout.partial(of: "c.mp4"), frames: 1),
            ClipState(clip: "d.mp4", state: .failed, shard: 1, reason: reason, exitCode: 65),
            ClipState(clip: "e.mp4", state: .left, shard: 0),
        ])
        #expect(status.counts.summary == "1 done, 1 in flight, 1 failed, 2 left of 5 clips")
        #expect(status.shards.map(\.shard) == ["0/2", "1/2"])
        #expect(status.shards.map(\.counts.summary) == ["1 done, 2 left of 3 clips", "0 done, 1 in flight, 1 failed of 2 clips"])
        #expect(status.shards.map(\.report) == [reportFolder + "/0.json", reportFolder + "/1.json"])
        #expect(status.notVideo == [SkippedFile(path: "notes.txt", reason: "not media FFmpeg reads")])
        #expect(!status.complete)

        // The run holding b ends without finishing it: b is left, its lines kept for nobody.
        close(held)
        let after = try BatchStatus.read(input: clips, output: tracks, reportFolder: reportFolder).status
        #expect(after.clips[1].state == .left && after.clips[1].frames == 3)
    }

    @Test func theNewestReportThatProcessedAClipSaysHowItWent() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        let failed = ClipReport(clip: "d.mp4", status: .failed, reason: "inference failed: out of memory", exitCode: 70)
        try report(shard: "1/2", [failed]).write(to: reportFolder + "/old.json")
        // A later task found d busy and skipped it: no news about d, the failure stands.
        try report(shard: "1/2", [ClipReport(clip: "d.mp4", status: .busy)]).write(to: reportFolder + "/busy.json")
        try setModified(reportFolder + "/old.json", secondsAgo: 20)
        try setModified(reportFolder + "/busy.json", secondsAgo: 10)
        var status = try BatchStatus.read(input: clips, output: tracks, reportFolder: reportFolder).status
        #expect(status.clips[3].state == .failed && status.clips[3].exitCode == 70)

        // A rerun processed it again and was interrupted: left, not failed.
        try report(shard: "1/2", [ClipReport(clip: "d.mp4", status: .interrupted)]).write(to: reportFolder + "/rerun.json")
        status = try BatchStatus.read(input: clips, output: tracks, reportFolder: reportFolder).status
        #expect(status.clips[3].state == .left && status.clips[3].reason == nil)
        // Without the reports nothing says it failed, nor how many shards there are.
        status = try BatchStatus.read(input: clips, output: tracks, reportFolder: nil).status
        #expect(status.clips.map(\.state) == [.left, .left, .left, .left, .left] && status.shards.isEmpty && status.clips[0].shard == nil)
    }

    @Test func readsOnlyReportsAboutThisOutputFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        try report(shard: "0/4", [ClipReport(clip: "a.mp4", status: .failed, reason: "x", exitCode: 65)],
                   output: root.appendingPathComponent("other").path).write(to: reportFolder + "/other.json")
        try write("{\"not\":\"a report\"}", to: reportFolder + "/junk.json")
        try write("notes", to: reportFolder + "/notes.txt")
        // The same folder named by another path (a task's working folder was elsewhere) is this one.
        try report(shard: "1/3", [], output: tracks + "/../tracks/").write(to: reportFolder + "/same.json")
        let (status, notes) = try BatchStatus.read(input: clips, output: tracks, reportFolder: reportFolder)
        #expect(notes == ["ignoring \(reportFolder)/junk.json: not a posepipe report",
                          "ignoring \(reportFolder)/other.json: it reports on \(root.path)/other, not \(tracks)"])
        #expect(status.reports == [reportFolder + "/same.json"])
        #expect(status.shards.map(\.shard) == ["0/3", "1/3", "2/3"] && status.clips[0].state == .left)
        let missing = try BatchStatus.read(input: clips, output: tracks, reportFolder: root.path + "/nowhere").notes
        #expect(missing == ["no reports read: cannot list \(root.path)/nowhere: No such file or directory"])
    }

    func setModified(_ path: String, secondsAgo: Double) throws {
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-secondsAgo)], ofItemAtPath: path)
    }
}

/// Looking at a partial's lock must never make a run take the clip for another run's.
@Suite struct ClipClaimProbeTests {
    @Test func aHeldPartialIsSeenHeldAndAStaleOneFree() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let partial = folder.appendingPathComponent(".a.mp4.jsonl.partial").path
        #expect(ClipClaim.isHeld(partial) == nil)
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: partial))
        #expect(ClipClaim.isHeld(partial) == false)
        guard case .claimed(let claim) = try ClipClaim.claim(partial: partial, final: partial + ".done", overwrite: false) else {
            Issue.record("a stale partial is replaced")
            return
        }
        #expect(ClipClaim.isHeld(partial) == true)
        claim.release()
        #expect(ClipClaim.isHeld(partial) == false)
    }

    /// `posepipe status` takes a shared lock for an instant; a run claiming the clip then must
    /// wait it out, not report the clip busy (it did, before the claim retried).
    @Test func aClaimWaitsOutAStatusLookingAtTheLock() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let partial = folder.appendingPathComponent(".a.mp4.jsonl.partial").path
        try Data("{}\n".utf8).write(to: URL(fileURLWithPath: partial))
        let looking = DispatchSemaphore(value: 0)
        let looker = Thread {
            let descriptor = open(partial, O_RDONLY)
            flock(descriptor, LOCK_SH)
            looking.signal()
            usleep(60_000)
            close(descriptor)
        }
        looker.start()
        looking.wait()
        let outcome = try ClipClaim.claim(partial: partial, final: partial + ".done", overwrite: false)
        guard case .claimed(let claim) = outcome else {
            Issue.record("the claim took a look at the lock for a run: \(outcome)")
            return
        }
        claim.release()
    }
}
