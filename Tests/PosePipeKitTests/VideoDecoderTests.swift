import Foundation
import Testing
@testable import PosePipeKit

@Suite struct VideoDecoderTests {
    @Test func readsTheSports2dClipWithExactTimestamps() throws {
        let decoder = try VideoDecoder(source: Fixtures.sports2d)
        #expect(decoder.info.width == 1768 && decoder.info.height == 994)
        #expect(decoder.info.fps == 30)
        #expect(decoder.info.codec == "vp9")
        #expect(decoder.info.orientation == .upright)
        #expect(abs((decoder.info.duration ?? 0) - 7.666667) < 1e-3)
        var count = 0
        while let frame = try decoder.next() {
            #expect(frame.index == count)
            // MP4 time base 1/15360, 512 ticks a frame: PTS is exactly index / 30.
            #expect(abs(frame.pts - Double(count) / 30) < 1e-9)
            #expect(frame.rgb.count == 1768 * 994 * 3)
            count += 1
        }
        #expect(count == 230)
        #expect(decoder.corruptPackets == 0)
    }

    @Test func variableFrameRateKeepsRealTimestamps() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("vfr.mkv").path
        // Frames 0-9 at 30 fps, then every frame 0.1 s apart: a variable frame rate.
        try Fixtures.ffmpeg(["-i", Fixtures.pedestrians, "-frames:v", "20", "-vf",
                             "setpts='if(lt(N,10),N/30,(N-9)/10+9/30)/TB'", "-fps_mode", "passthrough",
                             "-enc_time_base", "1:1000", "-c:v", "libx264", "-preset", "ultrafast", clip])
        let decoder = try VideoDecoder(source: clip)
        var stamps: [Double] = []
        while let frame = try decoder.next() { stamps.append(frame.pts) }
        let expected: [Double] = (0..<20).map { (n: Int) -> Double in
            n < 10 ? Double(n) / 30 : Double(n - 9) / 10 + 0.3
        }
        #expect(stamps.count == 20)
        for (got, want) in zip(stamps, expected) {
            #expect(abs(got - want) < 0.002, "pts \(got) instead of \(want)")
        }
    }

    @Test func rotationMetadataTurnsTheDisplayedFrameAsFFmpegDoes() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("rotated.mp4").path
        // FFmpeg 5.1 turns the `rotate=90` tag into a display matrix that shows the frame turned
        // a quarter counter-clockwise; its own player and autorotate do the same.
        try Fixtures.ffmpeg(["-i", Fixtures.pedestrians, "-frames:v", "3", "-c", "copy", "-metadata:s:v:0", "rotate=90", clip])
        let decoder = try VideoDecoder(source: clip)
        #expect(decoder.info.orientation == .clockwise270)
        #expect(decoder.info.width == 576 && decoder.info.height == 768)
        let frame = try #require(try decoder.next())
        #expect(frame.width == 768 && frame.displayWidth == 576 && frame.displayHeight == 768)

        let reference = folder.appendingPathComponent("upright.rgb")
        try Fixtures.ffmpeg(["-i", clip, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", reference.path])
        let shown = [UInt8](try Data(contentsOf: reference))
        let ours = frame.uprightRGB()
        #expect(shown.count == ours.count)
        let difference = zip(shown, ours).reduce(0) { $0 + abs(Int($1.0) - Int($1.1)) }
        #expect(Double(difference) / Double(ours.count) < 3, "differs from FFmpeg's autorotated frame")
    }

    @Test func missingAndNonVideoInputsGiveTheirOwnErrors() throws {
        #expect(throws: PosePipeError.inputNotFound(path: "/no/such/clip.mp4")) {
            try VideoDecoder(source: "/no/such/clip.mp4")
        }
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = folder.appendingPathComponent("notes.mp4")
        try Data("this is not a video\n".utf8).write(to: text)
        #expect {
            try VideoDecoder(source: text.path)
        } throws: { error in
            guard case .notAVideo = error as? PosePipeError else { return false }
            return true
        }
        let audio = folder.appendingPathComponent("tone.m4a").path
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=0.5", audio])
        #expect(throws: PosePipeError.notAVideo(path: audio, reason: "no video stream")) {
            try VideoDecoder(source: audio)
        }
    }
}

@Suite struct DecoderInputTests {
    @Test func anMP4CutShortKeepsEveryFrameBeforeTheCutAndSaysSo() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("cut.mp4")
        try Fixtures.pedestrianClip(clip, frames: 20, extra: ["-movflags", "+faststart"])
        var whole: [[UInt8]] = []
        let complete = try VideoDecoder(source: clip.path)
        while let frame = try complete.next() { whole.append(frame.rgb) }
        #expect(whole.count == 20 && complete.endedEarly == nil && complete.warnings.isEmpty && complete.reachedEnd)

        try Fixtures.truncate(clip, keeping: 0.5)
        let cut = try VideoDecoder(source: clip.path)
        var kept: [[UInt8]] = []
        while let frame = try cut.next() { kept.append(frame.rgb) }
        #expect(kept.count >= 5 && kept.count < 20)
        #expect(kept == Array(whole.prefix(kept.count)), "the frames before the cut decode as in the whole file")
        let endedEarly = try #require(cut.endedEarly)
        #expect(endedEarly.hasPrefix("the file holds ") && endedEarly.hasSuffix(" of the 20 frames its index lists"))
        #expect(cut.warnings == ["input ended early: \(endedEarly)"], "the cut is reported once, not also as damage")
        #expect(cut.reachedEnd)
    }

    @Test func rawFramesArePassedThroughExactlyAndAPartialLastFrameIsDropped() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let width = 16, height = 8
        let pixels: [UInt8] = (0..<(3 * width * height)).map { (n: Int) -> UInt8 in UInt8(truncatingIfNeeded: n &* 7) }
        let file = folder.appendingPathComponent("frames.bgr")
        // Two whole frames, the second the first's negative, then 100 bytes of a third.
        let negative: [UInt8] = pixels.map { 255 - $0 }
        try Data(pixels + negative + Array(pixels.prefix(100))).write(to: file)
        let format = try RawVideoFormat(size: "\(width)x\(height)", pixelFormat: "bgr24", rate: "25")
        #expect(format.frameBytes == 384)
        let decoder = try VideoDecoder(source: file.path, raw: format)
        #expect(decoder.info.width == width && decoder.info.height == height && decoder.info.fps == 25)
        var frames: [VideoFrame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        #expect(frames.count == 2)
        #expect(frames.map(\.pts) == [0, 0.04])
        // BGR in, RGB out: each pixel's first and third bytes trade places, nothing else changes.
        let swapped: [UInt8] = stride(from: 0, to: pixels.count, by: 3).flatMap { (i: Int) -> [UInt8] in [pixels[i + 2], pixels[i + 1], pixels[i]] }
        let swappedNegative: [UInt8] = swapped.map { 255 - $0 }
        #expect(frames.first?.rgb == swapped)
        #expect(frames.last?.rgb == swappedNegative)
        #expect(decoder.partialFrameBytes == 100)
        #expect(decoder.warnings == ["dropped a partial last frame (100 of 384 bytes)"])
    }

    @Test func rawFormatRejectsWhatFFmpegWouldNotRead() {
        #expect(throws: PosePipeError.self) { try RawVideoFormat(size: "1280by720") }
        #expect(throws: PosePipeError.self) { try RawVideoFormat(size: "0x720") }
        #expect(throws: PosePipeError.self) { try RawVideoFormat(size: "1280x720", pixelFormat: "rgb25") }
        #expect(throws: PosePipeError.self) { try RawVideoFormat(size: "1280x720", rate: "0") }
        #expect(throws: PosePipeError.self) { try RawVideoFormat(size: "1280x720", rate: "30/0") }
        #expect(RawVideoFormat.framesPerSecond("30000/1001").map { abs($0 - 29.97003) < 1e-5 } == true)
        #expect((try? RawVideoFormat(size: "1280X720", pixelFormat: "gray"))?.frameBytes == 1280 * 720)
    }

    @Test func inputsAreFilesURLsOrStandardInput() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let colon = folder.appendingPathComponent("http:clip.mp4")
        try Data("x".utf8).write(to: colon)
        #expect(InputLocation("-") == .standardInput)
        #expect(InputLocation(colon.path) == .file(path: colon.path))
        #expect(InputLocation("rtsp://camera.local/stream") == .url("rtsp://camera.local/stream"))
        #expect(InputLocation("concat:a.ts|b.ts") == .url("concat:a.ts|b.ts"))
        #expect(InputLocation("file:/tmp/clip.mp4") == .file(path: "/tmp/clip.mp4"))
        #expect(InputLocation("no/such/clip.mp4") == .file(path: "no/such/clip.mp4"))
        // A relative name with a colon must not be read as a protocol by FFmpeg.
        #expect(InputLocation.file(path: "http:clip.mp4").ffmpegURL == "./http:clip.mp4")
    }

    @Test func aFileURLAndAConcatListOpenLikeFiles() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Fixtures.pedestrianClip(folder.appendingPathComponent("a.mp4"), frames: 4)
        try Fixtures.pedestrianClip(folder.appendingPathComponent("b.mp4"), frames: 3, start: 2)
        let byURL = try VideoDecoder(source: "file:" + folder.appendingPathComponent("a.mp4").path)
        var count = 0
        while try byURL.next() != nil { count += 1 }
        #expect(count == 4)
        let list = folder.appendingPathComponent("list.ffconcat")
        try Data("ffconcat version 1.0\nfile a.mp4\nfile b.mp4\n".utf8).write(to: list)
        let joined = try VideoDecoder(source: list.path)
        var stamps: [Double] = []
        while let frame = try joined.next() { stamps.append(frame.pts) }
        #expect(stamps.count == 7)
        #expect(zip(stamps, stamps.dropFirst()).allSatisfy { $0 < $1 }, "the concat demuxer shifts the second clip after the first: \(stamps)")
        #expect(throws: PosePipeError.inputNotFound(path: "file:/no/such/clip.mp4")) {
            try VideoDecoder(source: "file:/no/such/clip.mp4")
        }
    }

    @Test func probingTellsVideosFromEverythingElse() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        func file(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try Fixtures.pedestrianClip(folder.appendingPathComponent("clip.mp4"), frames: 2)
        // MPEG-TS under a name no player would guess: the bytes decide.
        try Fixtures.ffmpeg(["-i", file("clip.mp4"), "-c", "copy", "-f", "mpegts", file("recording.dat")])
        try Fixtures.ffmpeg(["-i", file("clip.mp4"), "-frames:v", "1", file("still.png")])
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "sine=duration=0.3", file("tone.m4a")])
        try Data("Shot list\n1. wide\n".utf8).write(to: URL(fileURLWithPath: file("notes.txt")))
        try Data().write(to: URL(fileURLWithPath: file("empty.mp4")))
        #expect(MediaProbe.probe(file("clip.mp4")) == .video)
        #expect(MediaProbe.probe(file("recording.dat")) == .video)
        #expect(MediaProbe.probe(file("still.png")) == .notVideo("a still image"))
        #expect(MediaProbe.probe(file("tone.m4a")) == .notVideo("no video stream"))
        #expect(MediaProbe.probe(file("notes.txt")) == .notVideo("not media FFmpeg reads"))
        #expect(MediaProbe.probe(file("empty.mp4")) == .notVideo("the file is empty"))
        #expect(MediaProbe.probe(file("missing.mp4")) == .unreadable("No such file or directory"))
    }

    @Test func ffmpegsOwnReasonReplacesItsGenericError() throws {
        #expect(FFmpegLog.withoutContextPrefix("[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c8] moov atom not found") == "moov atom not found")
        #expect(FFmpegLog.withoutContextPrefix("[concat @ 0x1] [mov @ 0x2] partial file") == "partial file")
        #expect(FFmpegLog.withoutContextPrefix("no prefix [here] ") == "no prefix [here] ")
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("half.mp4")
        try Fixtures.pedestrianClip(clip, frames: 10)
        try Fixtures.truncate(clip, keeping: 0.5)
        #expect(throws: PosePipeError.notAVideo(path: clip.path, reason: "moov atom not found")) {
            try VideoDecoder(source: clip.path)
        }
    }
}

@Suite struct CropNormalizerTests {
    /// A 4×2 frame whose pixel (x, y) has R = 10x + y, G = 100, B = 255.
    let frame = VideoFrame(index: 0, pts: 0, width: 4, height: 2,
                           rgb: (0..<2).flatMap { y in (0..<4).flatMap { x in [UInt8(10 * x + y), 100, 255] } })

    @Test func wholeFrameAtItsOwnSizeCopiesPixelsExactly() {
        let normalizer = CropNormalizer(input: ModelInput(name: "in", layout: .nhwc, width: 4, height: 2, normalization: .range(low: 0, high: 255)))
        let tensor = normalizer.tensor(from: frame, crop: RotatedRect(center: Point2(x: 2, y: 1), width: 4, height: 2))
        #expect(tensor == frame.rgb.map(Float.init))
    }

    @Test func valueRangeMapsBlackAndWhite() {
        let normalizer = CropNormalizer(input: ModelInput(name: "in", layout: .nhwc, width: 4, height: 2, normalization: .range(low: -1, high: 1)))
        let tensor = normalizer.tensor(from: frame, crop: RotatedRect(center: Point2(x: 2, y: 1), width: 4, height: 2))
        #expect(tensor[2] == 1 && tensor[0] == -1)
    }

    @Test func halfPixelShiftBlendsNeighboursAndPadsWithBlack() {
        let normalizer = CropNormalizer(input: ModelInput(name: "in", layout: .nhwc, width: 4, height: 2, normalization: .range(low: 0, high: 255)))
        // Shifted half a pixel right: each sample sits between two columns; the last one half off the frame.
        let tensor = normalizer.tensor(from: frame, crop: RotatedRect(center: Point2(x: 2.5, y: 1), width: 4, height: 2))
        #expect(tensor[0] == 5)  // (0 + 10) / 2
        #expect(tensor[9] == 15)  // column 3 (R 30) half black
        #expect(tensor[10] == 50)  // G 100 half black
    }

    @Test func rotatedStoredFrameIsSampledInDisplayOrientation() {
        // Stored 2×1 red|green shown turned clockwise: 1×2, red on top.
        let turned = VideoFrame(index: 0, pts: 0, width: 2, height: 1, rgb: [255, 0, 0, 0, 255, 0], orientation: .clockwise90)
        let normalizer = CropNormalizer(input: ModelInput(name: "in", layout: .nhwc, width: 1, height: 2, normalization: .range(low: 0, high: 255)))
        let tensor = normalizer.tensor(from: turned, crop: RotatedRect(center: Point2(x: 0.5, y: 1), width: 1, height: 2))
        #expect(tensor == [255, 0, 0, 0, 255, 0])
    }
}
