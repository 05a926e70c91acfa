import Foundation
import Testing
@testable import PosePipeKit

/// Inputs that are not files: container streams and raw frames on standard input, URLs.
@Suite struct StreamInputTests {
    @Test(arguments: ["nut", "yuv4mpegpipe", "mpegts", "matroska"])
    func aContainerStreamOnStandardInputGivesEveryFrame(format: String) throws {
        // y4m holds raw pictures only; the others get H.264.
        let codec = format == "yuv4mpegpipe" ? [] : ["-c:v", "libx264", "-preset", "ultrafast"]
        let outcome = try CLI.run(["-", "-o", "-", "--quiet"], fedByFFmpeg: [
            "-i", Fixtures.pedestrians, "-frames:v", "8", "-vf", "scale=320:240"] + codec + ["-f", format, "-"])
        #expect(outcome.status == 0 && outcome.stderr.isEmpty, "stderr: \(outcome.stderr)")
        let tracks = try TrackFile(text: outcome.stdout)
        #expect(tracks.header["source"] as? String == "-")
        #expect(tracks.header["width"] as? Int == 320 && tracks.header["height"] as? Int == 240)
        tracks.expectConsecutiveFrames()
        #expect(tracks.frames.count == 8)
        let pts = tracks.frames.compactMap { $0["pts"] as? Double }
        #expect(pts.count == 8 && zip(pts, pts.dropFirst()).allSatisfy { abs($1 - $0 - 0.1) < 1e-3 }, "pts \(pts)")
    }

    /// The same picture as rgb24, bgr24 or through a container gives the same keypoints, and a
    /// partial frame at the end is dropped with one warning.
    @Test func rawFramesOnStandardInputMatchTheSamePicturesInAContainer() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let frames = folder.appendingPathComponent("frames.nut")
        // Lossless RGB in NUT, so the raw bytes and the container hold the very same pixels.
        try Fixtures.ffmpeg(["-i", Fixtures.pedestrians, "-frames:v", "6", "-pix_fmt", "rgb24", "-c:v", "rawvideo", frames.path])
        let rgb = folder.appendingPathComponent("frames.rgb"), bgr = folder.appendingPathComponent("frames.bgr")
        try Fixtures.ffmpeg(["-i", frames.path, "-f", "rawvideo", "-pix_fmt", "rgb24", rgb.path])
        try Fixtures.ffmpeg(["-i", frames.path, "-f", "rawvideo", "-pix_fmt", "bgr24", bgr.path])
        let frameBytes = 768 * 576 * 3
        #expect(Fixtures.size(of: rgb) == 6 * frameBytes)

        // The same smoothing for all: a file is smoothed offline by default, raw frames online.
        let fromContainer = try CLI.run([frames.path, "-o", "-", "--quiet", "--smoothing", "offline"])
        let container = try TrackFile(text: fromContainer.stdout)
        #expect(container.frames.count == 6)
        #expect(container.boxes.contains { !$0.isEmpty }, "people are found, so the comparison means something")

        let rawRGB = try CLI.run(["-", "--raw", "768x576", "--pix-fmt", "rgb24", "--fps", "10", "-o", "-", "--quiet", "--smoothing", "offline"],
                                 feeding: try Data(contentsOf: rgb) + Data(repeating: 7, count: 1000))
        #expect(rawRGB.status == 0)
        #expect(rawRGB.stderr == "posepipe: warning: -: dropped a partial last frame (1000 of \(frameBytes) bytes)\n")
        let rawBGR = try CLI.run(["-", "--raw", "768x576", "--pix-fmt", "bgr24", "--fps", "10", "-o", "-", "--quiet", "--smoothing", "offline"],
                                 feeding: try Data(contentsOf: bgr))
        #expect(rawBGR.status == 0 && rawBGR.stderr.isEmpty, "stderr: \(rawBGR.stderr)")
        for raw in [rawRGB, rawBGR] {
            let tracks = try TrackFile(text: raw.stdout)
            #expect(tracks.header["width"] as? Int == 768 && tracks.header["fps"] as? Int == 10)
            #expect(tracks.header["duration"] is NSNull)
            // Every frame line is the same as from the container: same pixels, same timestamps.
            #expect(raw.stdout.split(separator: "\n").dropFirst() == fromContainer.stdout.split(separator: "\n").dropFirst())
        }
    }

    @Test func grayRawFramesAreRead() throws {
        let gray = Data((0..<(64 * 48 * 3)).map { UInt8(truncatingIfNeeded: $0) })
        let outcome = try CLI.run(["-", "--raw", "64x48", "--pix-fmt", "gray", "--fps", "30000/1001", "-o", "-", "--quiet"], feeding: gray)
        #expect(outcome.status == 0 && outcome.stderr.isEmpty, "stderr: \(outcome.stderr)")
        let tracks = try TrackFile(text: outcome.stdout)
        #expect(tracks.frames.count == 3)
        #expect(tracks.frames.compactMap { $0["pts"] as? Double } == [0, 0.033367, 0.066733])
        #expect(tracks.header["fps"] as? Double == 29.97)
    }

    @Test func rawOptionsAreChecked() throws {
        let bad = try CLI.run(["-", "--raw", "1280x", "-o", "-"])
        #expect(bad.status == 64 && bad.stderr.contains("--raw needs a frame size WIDTHxHEIGHT"))
        let orphan = try CLI.run(["-", "--fps", "25", "-o", "-"])
        #expect(orphan.status == 64 && orphan.stderr.contains("--pix-fmt and --fps describe raw frames"))
    }

    @Test func aFileURLAndAConcatListWorkLikeFiles() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Fixtures.pedestrianClip(folder.appendingPathComponent("a.mp4"), frames: 4)
        try Fixtures.pedestrianClip(folder.appendingPathComponent("b.mp4"), frames: 3, start: 2)
        let url = "file:" + folder.appendingPathComponent("a.mp4").path
        let byURL = try CLI.run([url, "-o", "-", "--quiet"])
        #expect(byURL.status == 0)
        let tracks = try TrackFile(text: byURL.stdout)
        #expect(tracks.header["source"] as? String == url && tracks.frames.count == 4)
        let list = folder.appendingPathComponent("both.ffconcat")
        try Data("ffconcat version 1.0\nfile a.mp4\nfile b.mp4\n".utf8).write(to: list)
        let joined = try TrackFile(text: try CLI.run([list.path, "-o", "-", "--quiet"]).stdout)
        joined.expectConsecutiveFrames()
        #expect(joined.frames.count == 7)
    }

    /// `posepipe -` typed at a terminal, without a pipe, would wait forever for a video.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
    func aTerminalOnStandardInputIsRefusedAtOnce() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        // script(1) gives the command a pseudo-terminal for its standard input; -e passes on its exit code.
        process.arguments = ["-qec", "'\(CLI.binary)' - -o /dev/null", "/dev/null"]
        let out = Pipe()
        process.standardOutput = out
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 66)
        #expect(text == "posepipe: cannot read -: standard input is a terminal; pipe a video in\r\n")
    }
}
