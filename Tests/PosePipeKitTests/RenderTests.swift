import Foundation
import Testing
@testable import PosePipeKit

/// FFmpeg's command-line tools as an independent reader of what posepipe writes.
enum FFprobe {
    static func output(_ tool: String, _ arguments: [String]) throws -> (status: Int32, stdout: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// Every video frame's PTS in seconds, as ffprobe reads them.
    static func videoPTS(_ path: String) throws -> [Double] {
        let text = String(decoding: try output("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=pts_time",
                                                           "-of", "csv=p=0", path]).stdout, as: UTF8.self)
        return text.split(separator: "\n").compactMap { Double($0.split(separator: ",").first ?? "") }
    }

    /// `codec_type:codec_name:width:height` of each stream.
    static func streams(_ path: String) throws -> [String] {
        let text = String(decoding: try output("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height",
                                                           "-of", "csv=p=0:nk=1", path]).stdout, as: UTF8.self)
        return text.split(separator: "\n").map(String.init)
    }

    /// Frame `n` decoded by FFmpeg as packed RGB24.
    static func rgbFrame(_ path: String, _ n: Int) throws -> [UInt8] {
        [UInt8](try output("ffmpeg", ["-v", "error", "-i", path, "-vf", "select=eq(n\\,\(n))", "-frames:v", "1", "-f", "rawvideo",
                                      "-pix_fmt", "rgb24", "-"]).stdout)
    }
}

@Suite(.serialized) struct RenderTests {
    /// 1280×720, the first 1.5 s of the sports2d clip with its audio, frames 10–12 dropped so the
    /// frame rate varies.
    static func clip(in folder: URL) throws -> String {
        let clip = folder.appendingPathComponent("clip.mp4").path
        try Fixtures.ffmpeg(["-i", Fixtures.sports2d, "-t", "1.5", "-vf", "select='not(between(n,10,12))',scale=1280:720",
                             "-fps_mode", "passthrough", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "copy", clip])
        return clip
    }

    func distance(_ pixel: ArraySlice<UInt8>, _ color: TrackColors.RGB) -> Int {
        let p = Array(pixel)
        return abs(Int(p[0]) - Int(color.r)) + abs(Int(p[1]) - Int(color.g)) + abs(Int(p[2]) - Int(color.b))
    }

    /// Clear keypoints far from every other drawn keypoint, so one disc covers each: (id, x, y).
    func isolatedKeypoints(_ frame: TrackFrame) -> [(Int, Int, Int)] {
        let all = frame.persons.flatMap { p in p.keypoints.map { (p.id, $0) } }
        return all.compactMap { id, k in
            guard k.score >= 0.5 else { return nil }
            let alone = all.allSatisfy { other in other.1 == k || other.1.point.distance(to: k.point) > 14 }
            return alone ? (id, Int(k.x), Int(k.y)) : nil
        }
    }

    @Test func aRunWritesAnOverlayWithEveryFramesPTSTheAudioAndEachIdsColour() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Self.clip(in: folder)
        let tracks = folder.appendingPathComponent("clip.jsonl").path, overlay = folder.appendingPathComponent("overlay.mp4").path
        let run = try CLI.run([clip, "-o", tracks, "--overlay", overlay, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")

        let inputPTS = try FFprobe.videoPTS(clip), outputPTS = try FFprobe.videoPTS(overlay)
        #expect(inputPTS.count == 42 && outputPTS.count == inputPTS.count)
        #expect(zip(inputPTS, outputPTS).allSatisfy { abs($0 - $1) < 1e-6 }, "\(outputPTS) vs \(inputPTS)")
        #expect(inputPTS[10] - inputPTS[9] > 0.1, "the dropped frames leave a gap")
        #expect(try FFprobe.streams(overlay) == ["h264,video,1280,720", "aac,audio"])
        #expect(try FFprobe.output("ffmpeg", ["-v", "error", "-xerror", "-i", overlay, "-f", "null", "-"]).status == 0)

        let frames = try TrackFileReader(path: tracks).readAll()
        var checked = 0
        for n in [5, 20, 40] {
            let picture = try FFprobe.rgbFrame(overlay, n), original = try FFprobe.rgbFrame(clip, n)
            #expect(picture.count == 1280 * 720 * 3)
            for (id, x, y) in isolatedKeypoints(frames[n]) {
                let i = (y * 1280 + x) * 3
                let color = TrackColors.color(for: id)
                #expect(distance(picture[i..<(i + 3)], color) < 90, "frame \(n), id \(id) at (\(x), \(y)): \(Array(picture[i..<(i + 3)]))")
                // The colour was drawn, not there before.
                #expect(distance(original[i..<(i + 3)], color) > distance(picture[i..<(i + 3)], color) + 60)
                let others = frames[n].persons.map(\.id).filter { $0 != id }
                #expect(others.allSatisfy { distance(picture[i..<(i + 3)], TrackColors.color(for: $0)) > distance(picture[i..<(i + 3)], color) })
                checked += 1
            }
        }
        #expect(checked >= 10)

        // Drawn again from the track file, without the models: the same pictures up to the file's rounding.
        let redrawn = folder.appendingPathComponent("redrawn.mkv").path
        let render = try CLI.run(["render", clip, "--tracks", tracks, "-o", redrawn, "--quiet"])
        #expect(render.status == 0, "stderr: \(render.stderr)")
        #expect(try FFprobe.videoPTS(redrawn).count == 42)
        #expect(try FFprobe.streams(redrawn) == ["h264,video,1280,720", "aac,audio"])
        let a = try FFprobe.rgbFrame(overlay, 30), b = try FFprobe.rgbFrame(redrawn, 30)
        let mean = Double(zip(a, b).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }) / Double(a.count)
        #expect(mean < 1.5, "mean difference \(mean)")
    }

    @Test func tracksFromAnotherVideoAreRefusedWithNoOutput() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = try Self.clip(in: folder)
        let out = folder.appendingPathComponent("out.mp4").path

        let otherSize = folder.appendingPathComponent("other.jsonl")
        try SampleTracks.write(to: otherSize, names: try SampleTracks.blazePose)
        var outcome = try CLI.run(["render", clip, "--tracks", otherSize.path, "-o", out])
        #expect(outcome.status == 65)
        #expect(outcome.stderr == "posepipe: track file \(otherSize.path): not made from \(clip): its frames are 640×360, the video's 1280×720\n")

        // The right size, too few frames: 42 listed by the MP4, 4 in the file.
        let short = folder.appendingPathComponent("short.jsonl")
        try SampleTracks.write(to: short, names: try SampleTracks.blazePose, width: 1280, height: 720)
        outcome = try CLI.run(["render", clip, "--tracks", short.path, "-o", out])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("it holds 4 frames, the video 42"), "\(outcome.stderr)")

        // In a container that lists no frame count, the first frame whose PTS differs stops it…
        let mkv = folder.appendingPathComponent("clip.mkv").path
        try Fixtures.ffmpeg(["-i", clip, "-c", "copy", mkv])
        let shifted = folder.appendingPathComponent("shifted.jsonl")
        try SampleTracks.write(to: shifted, names: try SampleTracks.blazePose, width: 1280, height: 720, ptsOffset: 0.5)
        outcome = try CLI.run(["render", mkv, "--tracks", shifted.path, "-o", out])
        #expect(outcome.status == 65)
        #expect(outcome.stderr == "posepipe: track file \(shifted.path): not made from \(mkv): its frame 0 is at 0.5 s, the video's frame 0 at 0.0 s\n")
        // … and so does the end of the track file before the video's.
        outcome = try CLI.run(["render", mkv, "--tracks", short.path, "-o", out])
        #expect(outcome.status == 65)
        #expect(outcome.stderr.contains("not made from \(mkv): it ends at frame 4, the video goes on"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }.isEmpty, "no temporary file left")

        let before = try Data(contentsOf: URL(fileURLWithPath: clip))
        outcome = try CLI.run(["render", clip, "-o", clip])
        #expect(outcome.status == 64)
        #expect(outcome.stderr == "posepipe: -o \(clip) is the input itself; posepipe does not overwrite its input\n")
        #expect(try Data(contentsOf: URL(fileURLWithPath: clip)) == before)
    }

    @Test func anOverlayIsUprightAsTheTracksAre() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("rotated.mp4").path
        try Fixtures.ffmpeg(["-i", Fixtures.pedestrians, "-frames:v", "5", "-c", "copy", "-metadata:s:v:0", "rotate=90", clip])
        let tracks = folder.appendingPathComponent("t.jsonl").path, overlay = folder.appendingPathComponent("o.mp4").path
        let run = try CLI.run([clip, "-o", tracks, "--overlay", overlay, "--quiet"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let header = try TrackFileReader(path: tracks).header
        #expect(header.width == 576 && header.height == 768)
        #expect(try FFprobe.streams(overlay) == ["h264,video,576,768"])
        // FFmpeg's own upright picture of the input and the overlay agree away from the drawing.
        let upright = try FFprobe.rgbFrame(clip, 2), drawn = try FFprobe.rgbFrame(overlay, 2)
        #expect(upright.count == drawn.count)
        let same = zip(upright, drawn).filter { abs(Int($0.0) - Int($0.1)) < 24 }.count
        #expect(Double(same) / Double(drawn.count) > 0.9)
    }

    @Test func audioWithARepeatedTimestampIsCopiedWhole() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        // Looping the clip's AAC into Matroska repeats one millisecond timestamp where the loops join.
        let clip = folder.appendingPathComponent("looped.mkv").path
        try Fixtures.ffmpeg(["-stream_loop", "1", "-i", Fixtures.sports2d, "-t", "8", "-vf", "scale=320:180", "-c:v", "libx264",
                             "-preset", "ultrafast", "-c:a", "copy", clip])
        let audioPackets = { (path: String) throws -> [String] in
            String(decoding: try FFprobe.output("ffprobe", ["-v", "error", "-select_streams", "a", "-show_entries", "packet=dts",
                                                            "-of", "csv=p=0", path]).stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        }
        let input = try audioPackets(clip)
        #expect(zip(input, input.dropFirst()).contains { $0 == $1 }, "the input repeats a timestamp")
        // A track file of empty frames at the video's own PTS: drawing it needs no model.
        let pts = try FFprobe.videoPTS(clip)
        let tracks = folder.appendingPathComponent("t.jsonl")
        let names = try SampleTracks.blazePose
        let header = try JSONSerialization.data(withJSONObject: ["schema": "posepipe.tracks", "version": 1, "source": clip, "width": 320,
                                                                 "height": 180, "fps": 30, "rotation": 0, "pipeline": "none",
                                                                 "keypoints": names, "skeleton": [[Int]]()])
        let lines = [String(decoding: header, as: UTF8.self)] + pts.enumerated().map { #"{"frame":\#($0.offset),"pts":\#($0.element),"persons":[]}"# }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: tracks)
        let out = folder.appendingPathComponent("out.mp4").path
        let outcome = try CLI.run(["render", clip, "--tracks", tracks.path, "-o", out, "--quiet"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr == "posepipe: warning: \(out): 1 audio packet repeating the timestamp before moved one tick on\n")
        #expect(try audioPackets(out).count == input.count)
        #expect(try FFprobe.videoPTS(out).count == pts.count)
    }
}
