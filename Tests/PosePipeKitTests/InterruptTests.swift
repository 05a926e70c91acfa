import Foundation
import Testing
@testable import PosePipeKit

/// Ctrl-C and SIGTERM: posepipe stops reading, finishes the frames in flight, leaves complete
/// lines only, and exits 130 or 143.
@Suite struct InterruptTests {
    /// 800 frames of the pedestrians, far more than a test waits for.
    func longClip(in folder: URL, name: String = "long.mp4") throws -> URL {
        let clip = folder.appendingPathComponent(name)
        try Fixtures.ffmpeg(["-stream_loop", "9", "-i", Fixtures.pedestrians, "-vf", "scale=320:240", "-c:v", "libx264",
                             "-preset", "ultrafast", "-an", clip.path])
        return clip
    }

    func wait(for file: String, lines: Int, seconds: Double = 60) -> Bool {
        TrackFile.wait(for: file, lines: lines, seconds: seconds)
    }

    @Test func sigintWritesEveryFinishedFrameAndExits130() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try longClip(in: folder)
        let output = folder.appendingPathComponent("out.jsonl").path
        let errors = folder.appendingPathComponent("stderr.txt")
        let process = try CLI.start([clip.path, "-o", output], stderrFile: errors)
        #expect(wait(for: output, lines: 5))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 130)
        let tracks = try TrackFile(path: output)
        tracks.expectConsecutiveFrames()
        #expect(tracks.frames.count >= 4 && tracks.frames.count < 800)
        let stderr = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        #expect(stderr == "posepipe: interrupted: \(tracks.frames.count) frames written to \(output)\n")
    }

    @Test func sigtermEndsAStalledStandardInputAtOnceAndExits143() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stream = folder.appendingPathComponent("start.nut")
        // FFmpeg reads about 20 frames of a stream before it starts (to learn its rate): send 30.
        try Fixtures.pedestrianClip(stream, frames: 30)
        let feed = Pipe()
        let output = folder.appendingPathComponent("out.jsonl").path
        let process = try CLI.start(["-", "-o", output, "--quiet"], stdin: feed, stderrFile: folder.appendingPathComponent("stderr.txt"))
        // Then the writer goes quiet without closing the pipe, like a stalled camera.
        try feed.fileHandleForWriting.write(contentsOf: try Data(contentsOf: stream))
        defer { try? feed.fileHandleForWriting.close() }
        #expect(wait(for: output, lines: 20))
        let sent = Date()
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        // The input never ends, so only the signal can end the run; the bound leaves room for a loaded machine
        // (6.3 s was seen at load 18 on 2 cores).
        #expect(Date().timeIntervalSince(sent) < 30, "the blocked read ends with the signal, not with the input")
        #expect(process.terminationStatus == 143)
        let tracks = try TrackFile(path: output)
        tracks.expectConsecutiveFrames()
        #expect(tracks.frames.count >= 19 && tracks.frames.count <= 30)
    }

    /// Without --jobs, a folder runs as many clips at once as --threads (2 by default): a short clip sorted after
    /// a long one is finished while the long one is still running. One at a time, it would wait for all 800 frames.
    @Test func aFolderRunsAClipPerWorkerByDefault() throws {
        let root = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let clips = root.appendingPathComponent("clips"), tracks = root.appendingPathComponent("tracks").path
        try FileManager.default.createDirectory(at: clips, withIntermediateDirectories: true)
        _ = try longClip(in: clips, name: "a-long.mp4")
        try Fixtures.pedestrianClip(clips.appendingPathComponent("b-short.mp4"), frames: 3)
        let process = try CLI.start([clips.path, "-o", tracks, "--quiet"], stderrFile: root.appendingPathComponent("stderr.txt"))
        defer { if process.isRunning { kill(process.processIdentifier, SIGTERM) }; process.waitUntilExit() }
        #expect(wait(for: tracks + "/b-short.mp4.jsonl", lines: 4))
        #expect(!FileManager.default.fileExists(atPath: tracks + "/a-long.mp4.jsonl"), "the long clip was still running")
        #expect(FileManager.default.fileExists(atPath: tracks + "/.a-long.mp4.jsonl.partial"))
    }

    @Test func anInterruptedBatchKeepsItsPartialFileAndReportsWhatIsLeft() throws {
        let root = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let clips = root.appendingPathComponent("clips"), tracks = root.appendingPathComponent("tracks").path
        try FileManager.default.createDirectory(at: clips, withIntermediateDirectories: true)
        _ = try longClip(in: clips, name: "a-long.mp4")
        try Fixtures.pedestrianClip(clips.appendingPathComponent("b-short.mp4"), frames: 3)
        let partial = tracks + "/.a-long.mp4.jsonl.partial"
        let reportPath = root.appendingPathComponent("report.json").path
        let process = try CLI.start([clips.path, "-o", tracks, "--report", reportPath, "--jobs", "1"], stderrFile: root.appendingPathComponent("stderr.txt"))
        #expect(wait(for: partial, lines: 4))
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(!FileManager.default.fileExists(atPath: tracks + "/a-long.mp4.jsonl"), "an unfinished clip never gets its final name")
        try TrackFile(path: partial).expectConsecutiveFrames()
        let report = try JSONDecoder().decode(BatchReport.self, from: Data(contentsOf: URL(fileURLWithPath: reportPath)))
        #expect(report.clips.map(\.status) == [.interrupted, .pending])
        #expect(report.clips.first?.partial == partial)
        let stderr = String(decoding: try Data(contentsOf: root.appendingPathComponent("stderr.txt")), as: UTF8.self)
        #expect(stderr.hasPrefix("posepipe: interrupted: 0 done, 1 interrupted, 1 not started of 2 clips; "), "stderr: \(stderr)")
    }
}

extension InterruptTests {
    /// The second Ctrl-C is for when finishing the frames in flight takes too long: it must end
    /// the process at once, by the signal itself.
    @Test func aSecondSigintEndsPosepipeAtOnce() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try longClip(in: folder)
        let output = folder.appendingPathComponent("out.jsonl").path
        let process = try CLI.start([clip.path, "-o", output], stderrFile: folder.appendingPathComponent("stderr.txt"))
        #expect(wait(for: output, lines: 3))
        kill(process.processIdentifier, SIGINT)
        usleep(20_000)
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGINT,
                "ended by \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus), not by the second SIGINT")
    }
}

extension InterruptTests {
    /// Schedulers send SIGTERM more than once (Slurm at preemption and when the grace time ends; a
    /// job script forwarding it to posepipe as Slurm also sends it): the second must not cut the
    /// stop short, or the last line could be cut too. SIGKILL is how they end a process at once.
    @Test func aSecondSigtermStillFinishesTheFramesInFlight() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try longClip(in: folder)
        let output = folder.appendingPathComponent("out.jsonl").path
        let process = try CLI.start([clip.path, "-o", output], stderrFile: folder.appendingPathComponent("stderr.txt"))
        #expect(wait(for: output, lines: 3))
        kill(process.processIdentifier, SIGTERM)
        usleep(20_000)
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 143,
                "ended by \(process.terminationReason == .exit ? "exit" : "signal") \(process.terminationStatus)")
        let tracks = try TrackFile(path: output)
        tracks.expectConsecutiveFrames()
        #expect(tracks.frames.count >= 2 && tracks.frames.count < 800)
    }
}
