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

@Suite struct CropNormalizerTests {
    /// A 4×2 frame whose pixel (x, y) has R = 10x + y, G = 100, B = 255.
    let frame = VideoFrame(index: 0, pts: 0, width: 4, height: 2,
                           rgb: (0..<2).flatMap { y in (0..<4).flatMap { x in [UInt8(10 * x + y), 100, 255] } })

    @Test func wholeFrameAtItsOwnSizeCopiesPixelsExactly() {
        let normalizer = CropNormalizer(spec: ImageTensorSpec(name: "in", width: 4, height: 2, range: [0, 255]))
        let tensor = normalizer.tensor(from: frame, region: RotatedRect(center: Point2(x: 2, y: 1), width: 4, height: 2))
        #expect(tensor == frame.rgb.map(Float.init))
    }

    @Test func valueRangeMapsBlackAndWhite() {
        let normalizer = CropNormalizer(spec: ImageTensorSpec(name: "in", width: 4, height: 2, range: [-1, 1]))
        let tensor = normalizer.tensor(from: frame, region: RotatedRect(center: Point2(x: 2, y: 1), width: 4, height: 2))
        #expect(tensor[2] == 1 && tensor[0] == -1)
    }

    @Test func halfPixelShiftBlendsNeighboursAndPadsWithBlack() {
        let normalizer = CropNormalizer(spec: ImageTensorSpec(name: "in", width: 4, height: 2, range: [0, 255]))
        // Shifted half a pixel right: each sample sits between two columns; the last one half off the frame.
        let tensor = normalizer.tensor(from: frame, region: RotatedRect(center: Point2(x: 2.5, y: 1), width: 4, height: 2))
        #expect(tensor[0] == 5)  // (0 + 10) / 2
        #expect(tensor[9] == 15)  // column 3 (R 30) half black
        #expect(tensor[10] == 50)  // G 100 half black
    }

    @Test func rotatedStoredFrameIsSampledInDisplayOrientation() {
        // Stored 2×1 red|green shown turned clockwise: 1×2, red on top.
        let turned = VideoFrame(index: 0, pts: 0, width: 2, height: 1, rgb: [255, 0, 0, 0, 255, 0], orientation: .clockwise90)
        let normalizer = CropNormalizer(spec: ImageTensorSpec(name: "in", width: 1, height: 2, range: [0, 255]))
        let tensor = normalizer.tensor(from: turned, region: RotatedRect(center: Point2(x: 0.5, y: 1), width: 1, height: 2))
        #expect(tensor == [255, 0, 0, 0, 255, 0])
    }
}
