import Foundation
import Testing
@testable import PosePipeKit

/// posepipe reading a live stream that a real FFmpeg sends as MPEG-TS over UDP on loopback: a source
/// faster than posepipe, and one that stops or never starts (`--timeout`).
@Suite(.serialized) struct LiveStreamCommandTests {
    /// Whether some process has bound UDP `port` (posepipe, once it has opened its input).
    static func bound(_ port: Int) -> Bool {
        let table = (try? String(contentsOfFile: "/proc/net/udp", encoding: .utf8)) ?? ""
        let suffix = ":" + String(format: "%04X", port)
        return table.split(separator: "\n").dropFirst().contains { $0.split(separator: " ").dropFirst().first?.hasSuffix(suffix) ?? false }
    }

    /// Starts posepipe on `udp://127.0.0.1:PORT` with `arguments` and waits for it to listen.
    static func listen(_ arguments: [String], stderr: URL) throws -> (process: Process, url: String) {
        let port = Int.random(in: 20_000..<60_000)
        let url = "udp://127.0.0.1:\(port)"
        let process = try CLI.start([url] + arguments, stderrFile: stderr)
        let deadline = Date().addingTimeInterval(120)
        while !bound(port) && process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return (process, url)
    }

    /// FFmpeg sends `clip` to `url` at `rate` times real time, as a user's camera encoder would.
    static func send(_ clip: String, to url: String, rate: Double) throws {
        try Fixtures.ffmpeg(["-readrate", String(rate), "-i", clip, "-an", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                             "-f", "mpegts", url + "?pkt_size=1316"])
    }

    @Test func aStreamFasterThanPosepipeHasEveryFrameAccountedForAndEndsAfterItsTimeout() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("live.jsonl").path
        let errors = folder.appendingPathComponent("stderr.txt")
        let (posepipe, url) = try Self.listen(["-o", out, "--timeout", "2", "--max-latency", "0.2", "--verbose"], stderr: errors)
        // 80 frames at 100 a second: faster than any CPU runs BlazePose on a crowd.
        try Self.send(Fixtures.pedestrians, to: url, rate: 10)
        posepipe.waitUntilExit()
        let stderr = try String(contentsOf: errors, encoding: .utf8)
        #expect(posepipe.terminationStatus == 74, "\(stderr)")
        let file = try TrackFile(path: out)
        file.expectConsecutiveFrames()
        #expect(stderr.contains("posepipe: nothing received from \(url) for 2 s (--timeout): \(file.frames.count) frames written to \(out)"),
                "\(stderr)")
        let lost = stderr.firstMatch(of: /(\d+) lost before posepipe/).flatMap { Int($0.1) } ?? 0
        // Every frame sent is written (worked on or skipped) or counted as lost.
        #expect(file.frames.count + lost == 80, "\(stderr)")
        let skipped = file.frames.filter { $0["skipped"] as? Bool == true }
        #expect(!skipped.isEmpty)
        #expect(skipped.allSatisfy { ($0["persons"] as? [Any])?.isEmpty == true && $0["pts"] is Double })
        #expect(stderr.contains("frames processed, \(skipped.count) skipped to stay within --max-latency 0.2 s"), "\(stderr)")
        #expect(stderr.contains("; live: \(skipped.count) frames skipped, \(lost) lost before posepipe"), "\(stderr)")
        // The stream's last frame is written (a demuxer would hold it until a next one that never comes).
        #expect(file.frames.last?["skipped"] == nil, "\(file.frames.last ?? [:])")
        // Skipped lines are part of the format every track reader takes.
        let export = try CLI.run(["export", out, "--format", "csv", "-o", folder.appendingPathComponent("live.csv").path])
        #expect(export.status == 0, "\(export.stderr)")
    }

    /// A camera piped in (here: a stream ten times the clip's rate, all of it waiting on standard input) is skipped
    /// only with `--live`; without it standard input loses nothing, and `--verbose` says nothing of live counts.
    @Test(arguments: [false, true])
    func standardInputKeepsWithinTheBoundOnlyWhenDeclaredLive(_ live: Bool) throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let stream = folder.appendingPathComponent("camera.nut")
        try Fixtures.ffmpeg(["-i", Fixtures.pedestrians, "-vf", "setpts=PTS/10", "-r", "100", "-c:v", "mpeg4", "-q:v", "3", "-f", "nut",
                             stream.path])
        let out = folder.appendingPathComponent("live.jsonl").path
        let result = try CLI.run(["-", "-o", out, "--quiet", "--verbose", "--max-latency", "0.05"] + (live ? ["--live"] : []),
                                 stdin: try #require(FileHandle(forReadingAtPath: stream.path)))
        #expect(result.status == 0, "\(result.stderr)")
        let file = try TrackFile(path: out)
        file.expectConsecutiveFrames()
        #expect(file.frames.count == 80)
        let skipped = file.frames.filter { $0["skipped"] as? Bool == true }.count
        #expect((skipped > 0) == live, "\(skipped) skipped")
        #expect(result.stderr.contains("; live: \(skipped) frames skipped") == live, "\(result.stderr)")
    }

    @Test func liveIsRefusedForAnythingButStandardInput() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out.jsonl").path
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", out, "--live"])
        #expect(outcome.status == 64)
        #expect(outcome.stderr == "posepipe: --live is for standard input ('-'); \(Fixtures.pedestrians) is live when it is a network stream or a device, and never when it is a file\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aSourceThatNeverSendsEndsAfterItsTimeoutWithNothingWritten() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("live.jsonl").path
        let errors = folder.appendingPathComponent("stderr.txt")
        let (posepipe, url) = try Self.listen(["-o", out, "--timeout", "1"], stderr: errors)
        posepipe.waitUntilExit()
        let stderr = try String(contentsOf: errors, encoding: .utf8)
        #expect(posepipe.terminationStatus == 74)
        #expect(stderr == "posepipe: nothing received from \(url) for 1 s (--timeout)\n")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
