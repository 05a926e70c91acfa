import Foundation
import Testing
@testable import PosePipeKit

/// Every kind of bad input a user meets, each with a real file made here, and the outcome the
/// README's "Bad input" table promises: a clear line on stderr and nothing lost.
@Suite struct BadInputTests {
    let folder = Fixtures.scratch()

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// One `posepipe: …` line on stderr naming `text`, no crash trace.
    func expectOneLine(_ outcome: CLI.Outcome, mentioning text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.stderr.split(separator: "\n").count == 1, "stderr: \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.hasPrefix("posepipe: "), "stderr: \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(outcome.stderr.contains(text), "stderr: \(outcome.stderr)", sourceLocation: sourceLocation)
        #expect(!outcome.stderr.contains("Fatal error") && !outcome.stderr.contains("Backtrac"), sourceLocation: sourceLocation)
    }

    /// Runs posepipe on `input` writing `out.jsonl` in the scratch folder.
    func run(_ input: String, _ extra: [String] = []) throws -> CLI.Outcome {
        try CLI.run([input, "-o", path("out.jsonl"), "--quiet"] + extra)
    }

    @Test func nonexistentPathExits66() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try run(path("missing.mp4"))
        #expect(outcome.status == 66)
        expectOneLine(outcome, mentioning: "no such file or directory: \(path("missing.mp4"))")
        #expect(!FileManager.default.fileExists(atPath: path("out.jsonl")), "no output for no input")
    }

    @Test func folderWithoutVideosExits66() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let clips = path("clips")
        try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
        let empty = try CLI.run([clips, "-o", path("tracks")])
        #expect(empty.status == 66)
        expectOneLine(empty, mentioning: "no videos in \(clips): it holds no files")
        try Data("notes\n".utf8).write(to: URL(fileURLWithPath: clips + "/notes.txt"))
        let textOnly = try CLI.run([clips, "-o", path("tracks")])
        #expect(textOnly.status == 66)
        #expect(textOnly.stderr.contains("posepipe: skipping \(clips)/notes.txt: "))
        #expect(textOnly.stderr.hasSuffix("posepipe: no videos in \(clips): none of its 1 file is video\n"), "stderr: \(textOnly.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("tracks")), "nothing to do creates nothing")
    }

    /// Root reads a file whatever its mode, and the tests run as root in CI; the outcome
    /// (66, "cannot read …: permission denied") is still checked wherever they do not.
    @Test(.enabled(if: getuid() != 0, "root can read a file without read permission"))
    func unreadableFileExits66() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("locked.mp4")
        try Fixtures.pedestrianClip(clip, frames: 2)
        chmod(clip.path, 0)
        let outcome = try run(clip.path)
        #expect(outcome.status == 66)
        expectOneLine(outcome, mentioning: "cannot read \(clip.path): permission denied")
    }

    @Test func textFileNamedMp4Exits65() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("this is not a video\n".utf8).write(to: URL(fileURLWithPath: path("notes.mp4")))
        let outcome = try run(path("notes.mp4"))
        #expect(outcome.status == 65)
        expectOneLine(outcome, mentioning: "not a readable video: \(path("notes.mp4")): ")
    }

    @Test func audioOnlyFileExits65() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5", path("tone.m4a")])
        let outcome = try run(path("tone.m4a"))
        #expect(outcome.status == 65)
        expectOneLine(outcome, mentioning: "not a readable video: \(path("tone.m4a")): no video stream")
    }

    @Test func zeroByteFileExits65() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(FileManager.default.createFile(atPath: path("empty.mp4"), contents: Data()))
        let outcome = try run(path("empty.mp4"))
        #expect(outcome.status == 65)
        expectOneLine(outcome, mentioning: "not a readable video: \(path("empty.mp4")): the file is empty")
    }

    @Test func mp4CutInHalfWithItsIndexAtTheEndExits65() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("half.mp4")
        // Without +faststart the moov atom (the index) is written last: half the file has none.
        try Fixtures.pedestrianClip(clip, frames: 20)
        try Fixtures.truncate(clip, keeping: 0.5)
        let outcome = try run(clip.path)
        #expect(outcome.status == 65)
        expectOneLine(outcome, mentioning: "not a readable video: \(clip.path): moov atom not found")
    }

    @Test func mp4CutAtTheEndKeepsEveryFrameBeforeTheCut() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("cut.mp4")
        try Fixtures.pedestrianClip(clip, frames: 20, extra: ["-movflags", "+faststart"])
        try expectCutKeepsEveryFrameBefore(clip, frames: 20, keeping: 0.5, atLeast: 5,
                                           warning: "posepipe: warning: \(clip.path): input ended early: the file holds ")
    }

    /// Runs `clip` whole, cuts it to `fraction` of its bytes and runs it again: exit 0, the one
    /// `warning` line, and at least `atLeast` frames, the same frames with the same people as before the cut.
    /// The last `smoothedTail` frames (half a second) were smoothed offline with fewer frames after them.
    func expectCutKeepsEveryFrameBefore(_ clip: URL, frames: Int, keeping fraction: Double, atLeast: Int, warning: String,
                                        smoothedTail: Int = 5, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let whole = try TrackFile(text: try run(clip.path, ["-o", "-"]).stdout)
        #expect(whole.frames.count == frames, sourceLocation: sourceLocation)
        try Fixtures.truncate(clip, keeping: fraction)
        let outcome = try run(clip.path)
        #expect(outcome.status == 0, sourceLocation: sourceLocation)
        expectOneLine(outcome, mentioning: warning, sourceLocation: sourceLocation)
        let cut = try TrackFile(path: path("out.jsonl"))
        cut.expectConsecutiveFrames(sourceLocation: sourceLocation)
        #expect(cut.frames.count >= atLeast && cut.frames.count < frames, "\(cut.frames.count) frames", sourceLocation: sourceLocation)
        // The frames before the cut are the same frames, with the same people; the smoothed tail has the
        // same people, ids and all.
        for (n, frame) in cut.frames.enumerated() {
            if n < cut.frames.count - smoothedTail {
                #expect(NSDictionary(dictionary: frame).isEqual(to: whole.frames[n]), "frame \(n) differs", sourceLocation: sourceLocation)
            } else {
                let ids = { (f: [String: Any]) in (f["persons"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int } }
                #expect(ids(frame) == ids(whole.frames[n]) && frame["pts"] as? Double == whole.frames[n]["pts"] as? Double,
                        sourceLocation: sourceLocation)
            }
        }
    }

    @Test func corruptPacketsInTheMiddleAreSkippedWithOneWarning() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("damaged.ts")
        try Fixtures.pedestrianClip(clip, frames: 30, extra: ["-g", "10"])
        try Fixtures.scramble(clip, count: 3000)
        let outcome = try run(clip.path)
        #expect(outcome.status == 0)
        expectOneLine(outcome, mentioning: "posepipe: warning: \(clip.path): damaged data: ")
        let tracks = try TrackFile(path: path("out.jsonl"))
        tracks.expectConsecutiveFrames()
        #expect(tracks.frames.count >= 25 && tracks.frames.count <= 30, "\(tracks.frames.count) frames")
        let pts = tracks.frames.compactMap { $0["pts"] as? Double }
        #expect(pts.last ?? 0 > 2.8, "frames after the damage are processed: last pts \(pts.last ?? 0)")
        #expect(zip(pts, pts.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func resolutionChangeMidwayKeepsTheFirstSizeInTheHeaderAndLaterFramesInTheirOwnPixels() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let large = folder.appendingPathComponent("large.ts"), small = folder.appendingPathComponent("small.ts")
        try Fixtures.pedestrianClip(large, frames: 10, size: "768x576")
        try Fixtures.pedestrianClip(small, frames: 10, size: "384x288", start: 1)
        let joined = folder.appendingPathComponent("joined.ts")
        try (try Data(contentsOf: large) + Data(contentsOf: small)).write(to: joined)

        let decoder = try VideoDecoder(source: joined.path)
        var sizes: [String] = []
        while let frame = try decoder.next() { sizes.append("\(frame.width)x\(frame.height)") }
        #expect(sizes == Array(repeating: "768x576", count: 10) + Array(repeating: "384x288", count: 10))

        let outcome = try run(joined.path)
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        let tracks = try TrackFile(path: path("out.jsonl"))
        #expect(tracks.header["width"] as? Int == 768 && tracks.header["height"] as? Int == 576)
        tracks.expectConsecutiveFrames()
        #expect(tracks.frames.count == 20)
        let later = tracks.boxes.dropFirst(10).flatMap { $0 }
        #expect(!later.isEmpty, "people are found after the change")
        for box in later {
            let center = (x: box[0] + box[2] / 2, y: box[1] + box[3] / 2)
            #expect(center.x > 0 && center.x < 384 && center.y > 0 && center.y < 288, "box \(box) lies outside the 384×288 frame")
        }
    }

    @Test func frameWithoutAPersonGivesAnEmptyList() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let gray = folder.appendingPathComponent("gray.mp4")
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "color=c=gray:s=320x240:d=1:r=10", "-c:v", "libx264", "-preset", "ultrafast", gray.path])
        let outcome = try run(gray.path)
        #expect(outcome.status == 0 && outcome.stderr.isEmpty, "stderr: \(outcome.stderr)")
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path("out.jsonl"))), as: UTF8.self)
        let lines = text.split(separator: "\n").dropFirst()
        #expect(lines.count == 10)
        for (n, line) in lines.enumerated() {
            #expect(line == #"{"frame":\#(n),"pts":\#(JSONText.number(Double(n) / 10, decimals: 6)),"persons":[]}"#)
        }
    }

    @Test func eightKFramesKeepMemoryBounded() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let huge = folder.appendingPathComponent("8k.mp4")
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "testsrc2=s=7680x4320:r=25:d=0.12", "-frames:v", "3",
                             "-c:v", "libx264", "-preset", "ultrafast", huge.path])
        let (status, peak) = try CLI.runMeasuringMemory([huge.path, "-o", path("out.jsonl"), "--quiet"])
        #expect(status == 0)
        // One 8K RGB frame is 99.5 MB; three in flight plus the YUV pictures stay far below this.
        #expect(peak < 1_500_000_000, "peak resident memory \(peak / 1_000_000) MB")
        let tracks = try TrackFile(path: path("out.jsonl"))
        #expect(tracks.header["width"] as? Int == 7680 && tracks.header["height"] as? Int == 4320)
        #expect(tracks.frames.count == 3)
    }

    @Test func unwritableOutputExits73() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("clip.mp4")
        try Fixtures.pedestrianClip(clip, frames: 2)
        // A path under a regular file can be created by nobody, root included.
        let outcome = try CLI.run([clip.path, "-o", clip.path + "/out.jsonl"])
        #expect(outcome.status == 73)
        expectOneLine(outcome, mentioning: "cannot write \(clip.path)/out.jsonl: Not a directory")
    }

    @Test func standardInputClosedEarlyKeepsTheFramesBeforeTheCut() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let stream = folder.appendingPathComponent("stream.nut")
        try Fixtures.pedestrianClip(stream, frames: 20)
        let bytes = try Data(contentsOf: stream)
        let outcome = try CLI.run(["-", "-o", "-", "--quiet"], feeding: bytes.prefix(bytes.count / 2))
        #expect(outcome.status == 0)
        expectOneLine(outcome, mentioning: "posepipe: warning: -: input ended early: its last frame is incomplete")
        let tracks = try TrackFile(text: outcome.stdout)
        tracks.expectConsecutiveFrames()
        #expect(tracks.frames.count >= 5 && tracks.frames.count < 20, "\(tracks.frames.count) frames")
    }
}

/// Inputs found by fuzzing that used to end with exit 0 and nothing said, or lose every frame.
extension BadInputTests {
    @Test func anMP4WithItsIndexAtTheEndOnStandardInputSaysWhatToDo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let late = folder.appendingPathComponent("late.mp4"), early = folder.appendingPathComponent("early.mp4")
        // FFmpeg's default writes the index (moov) after the frames; +faststart moves it first.
        try Fixtures.pedestrianClip(late, frames: 10)
        try Fixtures.pedestrianClip(early, frames: 10, extra: ["-movflags", "+faststart"])
        let outcome = try CLI.run(["-", "-o", "-", "--quiet"], feeding: try Data(contentsOf: late))
        #expect(outcome.status == 65)
        #expect(outcome.stderr == "posepipe: not a readable video: -: an MP4 whose index (moov atom) is at its end cannot be read "
                + "from a pipe: pass the file itself, or remux it first (ffmpeg -i clip.mp4 -c copy -movflags +faststart fast.mp4, or -f nut)\n")
        #expect(outcome.stdout.isEmpty)
        let streamed = try CLI.run(["-", "-o", "-", "--quiet"], feeding: try Data(contentsOf: early))
        #expect(streamed.status == 0 && streamed.stderr.isEmpty, "stderr: \(streamed.stderr)")
        #expect(try TrackFile(text: streamed.stdout).frames.count == 10)
    }

    @Test func aFileCutInsideItsHeaderExits65AndLeavesNoOutput() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let cut = folder.appendingPathComponent("t.mp4")
        // The first 1000 bytes of the sports2d clip: its index starts, no frame follows.
        try Data(contentsOf: URL(fileURLWithPath: Fixtures.sports2d)).prefix(1000).write(to: cut)
        let outcome = try run(cut.path)
        #expect(outcome.status == 65)
        expectOneLine(outcome, mentioning: "posepipe: not a readable video: \(cut.path): no frame could be decoded (")
        #expect(outcome.stderr.contains("broken header"), "FFmpeg's reason is kept: \(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("out.jsonl")), "no header describing a video nobody could read")
    }

    @Test func aWebMCutShortWarnsAndKeepsEveryFrameBeforeTheCut() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let webm = folder.appendingPathComponent("whole.webm")
        try Fixtures.ffmpeg(["-i", Fixtures.sports2d, "-an", "-c:v", "copy", "-frames:v", "40", webm.path])
        try expectCutKeepsEveryFrameBefore(webm, frames: 40, keeping: 0.7, atLeast: 10,
                                           warning: "posepipe: warning: \(webm.path): input ended early: File ended prematurely",
                                           smoothedTail: 15)
    }

    @Test func pixelFormatsTheScalerCannotReadAreRefusedUpFront() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // uyyvyy411 is 12 bits a pixel: 4 frames of 64×48.
        let frames = Data((0..<(64 * 48 * 3 / 2 * 4)).map { UInt8(truncatingIfNeeded: $0 * 7) })
        let piped = try CLI.run(["-", "--raw", "64x48", "--pix-fmt", "uyyvyy411", "-o", "-", "--quiet"], feeding: frames)
        #expect(piped.status == 64)
        #expect(piped.stderr.hasPrefix("Error: --pix-fmt uyyvyy411 cannot be converted: FFmpeg's scaler does not read it\n"), "stderr: \(piped.stderr)")
        let raw = folder.appendingPathComponent("frames.raw"), nut = folder.appendingPathComponent("frames.nut")
        try frames.write(to: raw)
        // Stream copy: the frames go into the container as they are, never through swscale.
        try Fixtures.ffmpeg(["-f", "rawvideo", "-pix_fmt", "uyyvyy411", "-s", "64x48", "-i", raw.path, "-c:v", "copy", nut.path])
        let file = try run(nut.path)
        #expect(file.status == 65)
        expectOneLine(file, mentioning: "posepipe: not a readable video: \(nut.path): its pixel format uyyvyy411 cannot be converted: FFmpeg's scaler does not read it")
    }

    @Test func rawFrameOptionsFFmpegWouldRefuseAreUsageErrors() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let cases = [(["--raw", "64x48", "--pix-fmt", "vaapi"], "--pix-fmt vaapi is a hardware surface format, not bytes a pipe can carry"),
                     (["--raw", "64x48", "--fps", "1e-300"], "--fps needs a positive rate like 30, 29.97 or 30000/1001 (at most 1000), not '1e-300'"),
                     (["--raw", "16384x16384"], "--raw 16384x16384 is larger than FFmpeg handles in one frame")]
        for (options, message) in cases {
            let outcome = try CLI.run(["-", "-o", "-", "--quiet"] + options)
            #expect(outcome.status == 64, "\(options)")
            #expect(outcome.stderr.hasPrefix("Error: \(message)\n"), "stderr: \(outcome.stderr)")
        }
    }

    @Test func standardInputThatIsAFolderOrEmptyIsNoVideo() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for raw in [[], ["--raw", "64x48"]] {
            let outcome = try CLI.run(["-", "-o", path("out.jsonl"), "--quiet"] + raw, stdin: try #require(FileHandle(forReadingAtPath: folder.path)))
            #expect(outcome.status == 66, "\(raw)")
            expectOneLine(outcome, mentioning: "posepipe: cannot read -: standard input is a folder")
        }
        let empty = try CLI.run(["-", "--raw", "64x48", "-o", path("out.jsonl"), "--quiet"])
        #expect(empty.status == 65)
        expectOneLine(empty, mentioning: "posepipe: not a readable video: -: the input is empty")
        #expect(!FileManager.default.fileExists(atPath: path("out.jsonl")))
    }

    @Test func aTurnThatIsNotAQuarterTurnIsSaidAndNotGuessed() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("tilted.mp4")
        // As with rotate=90 (VideoDecoderTests), FFmpeg 5.1 writes this as 45° counter-clockwise.
        try Fixtures.ffmpeg(["-i", Fixtures.pedestrians, "-frames:v", "3", "-c", "copy", "-metadata:s:v:0", "rotate=45", clip.path])
        let outcome = try run(clip.path)
        #expect(outcome.status == 0)
        expectOneLine(outcome, mentioning: "posepipe: warning: \(clip.path): its display matrix turns the picture 315° clockwise, "
                      + "not a quarter turn: frames are used as stored")
        let tracks = try TrackFile(path: path("out.jsonl"))
        #expect(tracks.header["rotation"] as? Int == 0 && tracks.header["width"] as? Int == 768)
        #expect(tracks.frames.count == 3)
    }

    @Test func negativeValuesAreRefusedByTheirOptionsName() throws {
        for option in ["--threads", "--detect-every", "--frame-batch", "--detect-tiles", "--min-cutoff", "--beta", "--jobs"] {
            let outcome = try CLI.run([Fixtures.pedestrians, "-o", "-", option, "-1"])
            #expect(outcome.status == 64, "\(option)")
            #expect(outcome.stderr.hasPrefix("Error: ") && outcome.stderr.contains(option), "stderr: \(outcome.stderr)")
            #expect(!outcome.stderr.contains("Missing value"), "stderr: \(outcome.stderr)")
        }
    }
}
