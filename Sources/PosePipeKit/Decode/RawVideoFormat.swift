import CFFmpeg
import Foundation

/// How to read headerless frames (`--raw`): FFmpeg's `rawvideo` demuxer needs the size, the pixel
/// layout and the rate, since the bytes carry none of them.
public struct RawVideoFormat: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// An FFmpeg pixel format name: `rgb24`, `bgr24`, `gray`, `yuv420p`…
    public var pixelFormat: String
    /// Frames per second, as FFmpeg writes rates: `30`, `29.97` or `30000/1001`.
    public var rate: String

    /// Checks every part, so a typo is a usage error rather than FFmpeg's "Invalid argument".
    /// - Parameter size: `WIDTHxHEIGHT`, e.g. `1280x720`.
    public init(size: String, pixelFormat: String = "rgb24", rate: String = "30") throws {
        // The checks below ask FFmpeg, whose complaints go to its log, which must be posepipe's by now.
        FFmpegLog.install()
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              (1...16384).contains(width), (1...16384).contains(height) else {
            throw PosePipeError.badUsage("--raw needs a frame size WIDTHxHEIGHT (each 1 to 16384), not '\(size)'")
        }
        let format = av_get_pix_fmt(pixelFormat)
        guard format != AV_PIX_FMT_NONE else {
            throw PosePipeError.badUsage("--pix-fmt: unknown pixel format '\(pixelFormat)' (e.g. rgb24, bgr24, gray, yuv420p)")
        }
        if let descriptor = av_pix_fmt_desc_get(format), descriptor.pointee.flags & UInt64(AV_PIX_FMT_FLAG_HWACCEL) != 0 {
            throw PosePipeError.badUsage("--pix-fmt \(pixelFormat) is a hardware surface format, not bytes a pipe can carry")
        }
        guard sws_isSupportedInput(format) != 0 else {
            throw PosePipeError.badUsage("--pix-fmt \(pixelFormat) cannot be converted: FFmpeg's scaler does not read it")
        }
        // FFmpeg refuses pictures whose planes could overflow its sizes; say so now, not as "Invalid argument".
        guard av_image_check_size(UInt32(width), UInt32(height), 0, nil) == 0,
              av_image_get_buffer_size(format, Int32(width), Int32(height), 1) > 0 else {
            throw PosePipeError.badUsage("--raw \(width)x\(height) is larger than FFmpeg handles in one frame")
        }
        guard Self.framesPerSecond(rate) != nil else {
            throw PosePipeError.badUsage("--fps needs a positive rate like 30, 29.97 or 30000/1001 (at most 1000), not '\(rate)'")
        }
        self.width = width
        self.height = height
        self.pixelFormat = pixelFormat
        self.rate = rate
    }

    /// Bytes of one frame: a shorter packet at the end of the input is a partial frame.
    public var frameBytes: Int {
        Int(av_image_get_buffer_size(av_get_pix_fmt(pixelFormat), Int32(width), Int32(height), 1))
    }

    /// The rate as FFmpeg's `rawvideo` demuxer will read it (`av_parse_video_rate`), so a rate
    /// it would round to nothing (`1e-300`) is refused here.
    static func framesPerSecond(_ rate: String) -> Double? {
        var parsed = AVRational()
        guard av_parse_video_rate(&parsed, rate) >= 0, parsed.num > 0, parsed.den > 0 else { return nil }
        let value = av_q2d(parsed)
        guard value.isFinite, value > 0, value <= 1000 else { return nil }
        return value
    }

    /// The demuxer options FFmpeg's own `-f rawvideo -video_size … -pixel_format … -framerate …` sets.
    var demuxerOptions: [(String, String)] {
        [("video_size", "\(width)x\(height)"), ("pixel_format", pixelFormat), ("framerate", rate)]
    }
}
