import Foundation
import Testing
@testable import PosePipeKit

/// Nothing lost, nothing overwritten: what posepipe writes never lands on a device, through a
/// planted link, onto its own input, or into a file another run is writing, and a write that
/// fails part-way leaves complete lines only.
@Suite struct OutputSafetyTests {
    let root = Fixtures.scratch()
    var clips: String { root.appendingPathComponent("clips").path }
    var tracks: String { root.appendingPathComponent("tracks").path }

    /// clips/k0.mp4, 3 frames.
    func makeClip() throws {
        try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/k0.mp4"), frames: 3)
    }

    func kind(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A device node or a pipe named by --report stays what it is; the run stops before any clip.
    @Test func aReportPathThatIsADeviceOrAPipeIsRefusedAndLeftAlone() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClip()
        // A copy of /dev/full's node in the scratch folder: the real one must not be at stake.
        var targets: [(path: String, kind: mode_t)] = [(root.path + "/fifo", S_IFIFO)]
        #expect(mkfifo(targets[0].path, 0o644) == 0)
        var device = stat()
        if getuid() == 0, stat("/dev/full", &device) == 0 {
            let full = root.path + "/full"
            #expect(mknod(full, S_IFCHR | 0o666, device.st_rdev) == 0)
            targets.append((full, S_IFCHR))
        }
        for target in targets {
            let outcome = try CLI.run([clips, "-o", tracks, "--report", target.path])
            #expect(outcome.status == 73)
            #expect(outcome.stderr == "posepipe: cannot write \(target.path): not a regular file; posepipe replaces only regular files\n")
            #expect(kind(target.path) == target.kind, "\(target.path) was replaced")
            #expect(!FileManager.default.fileExists(atPath: tracks), "checked before any clip")
        }
    }

    @Test func reportPathsThatCannotBeWrittenAreFoundBeforeTheFirstClip() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClip()
        try FileManager.default.createDirectory(atPath: root.path + "/folder", withIntermediateDirectories: true)
        let cases = [("", "posepipe: cannot write '': an empty path names no file\n"),
                     (root.path + "/folder", "posepipe: cannot write \(root.path)/folder: Is a directory\n"),
                     (tracks, "posepipe: cannot write \(tracks): it is the output folder\n")]
        for (path, line) in cases {
            let outcome = try CLI.run([clips, "-o", tracks, "--report", path])
            #expect(outcome.status == 73, "--report '\(path)'")
            #expect(outcome.stderr == line)
            #expect(!FileManager.default.fileExists(atPath: tracks), "--report '\(path)': checked before any clip")
        }
        let onAClip = try CLI.run([clips, "-o", tracks, "--report", clips + "/k0.mp4"])
        #expect(onAClip.status == 64)
        #expect(onAClip.stderr == "posepipe: --report \(clips)/k0.mp4 is one of the clips; posepipe does not overwrite its input\n")
        #expect(Fixtures.size(of: URL(fileURLWithPath: clips + "/k0.mp4")) > 1000)
    }

    /// Links planted under the names posepipe writes are never written through.
    @Test func linksPlantedUnderTemporaryAndFinalNamesAreNeverFollowed() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClip()
        try FileManager.default.createDirectory(atPath: tracks, withIntermediateDirectories: true)
        let victim = root.path + "/victim"
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        #expect(symlink(victim, tracks + "/.k0.mp4.jsonl.partial") == 0)
        // The report's temporary name used to be fixed and guessable.
        #expect(symlink(victim, root.path + "/.report.json.partial") == 0)
        let planted = try CLI.run([clips, "-o", tracks, "--report", root.path + "/report.json"])
        #expect(planted.status == 75, "stderr: \(planted.stderr)")
        #expect(planted.stderr.contains(
            "posepipe: cannot write \(tracks)/.k0.mp4.jsonl.partial: is a symbolic link; posepipe replaces only regular files\n"))
        #expect(contents(victim) == "precious\n")
        #expect(kind(tracks + "/k0.mp4.jsonl") == nil)
        #expect(kind(root.path + "/report.json") == S_IFREG)

        // Once the link is gone the clip is written, and a link under the final name is refused too.
        #expect(unlink(tracks + "/.k0.mp4.jsonl.partial") == 0)
        #expect(symlink(victim, tracks + "/k0.mp4.jsonl") == 0)
        let overwrite = try CLI.run([clips, "-o", tracks, "--overwrite"])
        #expect(overwrite.status == 75)
        #expect(overwrite.stderr.contains("posepipe: cannot write \(tracks)/k0.mp4.jsonl: is a symbolic link; posepipe replaces only regular files\n"))
        #expect(contents(victim) == "precious\n")
        #expect(unlink(tracks + "/k0.mp4.jsonl") == 0)
        #expect(try CLI.run([clips, "-o", tracks, "--quiet"]).status == 0)
        #expect(kind(tracks + "/k0.mp4.jsonl") == S_IFREG)
        #expect(try TrackFile(path: tracks + "/k0.mp4.jsonl").frames.count == 3)
        #expect(contents(victim) == "precious\n")
    }

    /// The reproduction: a second run on the folder while the first is inside its clip.
    @Test func aSecondRunLeavesAClipInFlightToTheFirst() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
        try Fixtures.ffmpeg(["-stream_loop", "9", "-i", Fixtures.pedestrians, "-vf", "scale=320:240", "-c:v", "libx264",
                             "-preset", "ultrafast", "-an", clips + "/s.mp4"])
        let partial = tracks + "/.s.mp4.jsonl.partial"
        let first = try CLI.start([clips, "-o", tracks, "--quiet"], stderrFile: root.appendingPathComponent("first.txt"))
        #expect(TrackFile.wait(for: partial, lines: 5))
        let second = try CLI.run([clips, "-o", tracks, "--quiet", "--report", root.path + "/second.json"])
        #expect(second.status == 75, "stderr: \(second.stderr)")
        #expect(second.stderr.hasPrefix(
            "posepipe: skipping \(clips)/s.mp4: another run is processing it (\(partial) is locked)\nposepipe: 0 done, 1 left to another run of 1 clip; "),
            "stderr: \(second.stderr)")
        let report = try JSONDecoder().decode(BatchReport.self, from: Data(contentsOf: URL(fileURLWithPath: root.path + "/second.json")))
        #expect(report.busy == 1 && report.clips.map(\.status) == [.busy] && report.clips.first?.partial == partial)
        kill(first.processIdentifier, SIGINT)
        first.waitUntilExit()
        #expect(first.terminationStatus == 130)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: partial))
        #expect(!bytes.contains(0), "another run's bytes (NULs) inside the partial")
        let kept = try TrackFile(path: partial)
        kept.expectConsecutiveFrames()
        #expect(kept.frames.count >= 5 && kept.frames.count < 800)
        #expect(!FileManager.default.fileExists(atPath: tracks + "/s.mp4.jsonl"))
    }

    @Test func anOutputThatIsTheInputIsRefused() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClip()
        let clip = clips + "/k0.mp4"
        let size = Fixtures.size(of: URL(fileURLWithPath: clip))
        #expect(symlink(clip, root.path + "/link.mp4") == 0 && link(clip, root.path + "/hard.mp4") == 0)
        for output in [clip, root.path + "/link.mp4", root.path + "/hard.mp4"] {
            let outcome = try CLI.run([clip, "-o", output])
            #expect(outcome.status == 64)
            #expect(outcome.stderr == "posepipe: -o \(output) is the input itself; posepipe does not overwrite its input\n")
            #expect(Fixtures.size(of: URL(fileURLWithPath: clip)) == size)
        }
        let snapshot = try CLI.run(["snapshot", clip, "-o", root.path + "/link.mp4"])
        #expect(snapshot.status == 64 && snapshot.stderr.contains("is the input itself"))
        #expect(Fixtures.size(of: URL(fileURLWithPath: clip)) == size)
        #expect(try TrackFile(text: try CLI.run([clip, "-o", "-", "--quiet"]).stdout).frames.count == 3, "the clip still reads")
    }

    /// A full disk or a file size limit mid-line: the file is cut back to its last complete line.
    @Test func aWriteThatFailsPartWayLeavesCompleteLinesOnly() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let output = root.path + "/out.jsonl"
        // RLIMIT_FSIZE stops writes at 30000 bytes, in the middle of a line; SIGXFSZ keeps its
        // default action, which would end posepipe there unless it handles the error itself.
        let limited = try CLI.run([Fixtures.pedestrians, "-o", output, "--quiet"], launcher: ["/usr/bin/prlimit", "--fsize=30000"])
        #expect(limited.status == 73)
        #expect(limited.stderr == "posepipe: cannot write \(output): File too large\n")
        let size = Fixtures.size(of: URL(fileURLWithPath: output))
        #expect(size > 10_000 && size < 30_000)
        let kept = try TrackFile(path: output)
        kept.expectConsecutiveFrames()
        #expect(kept.frames.count > 5)

        let full = try CLI.run([Fixtures.pedestrians, "-o", "/dev/full", "--quiet"])
        #expect(full.status == 73 && full.stderr == "posepipe: cannot write /dev/full: No space left on device\n")
    }
}
