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
        let parts = size.lowercased().split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, let width = Int(parts[0]), let height = Int(parts[1]),
              (1...16384).contains(width), (1...16384).contains(height) else {
            throw PosePipeError.badUsage("--raw needs a frame size WIDTHxHEIGHT (each 1 to 16384), not '\(size)'")
        }
        guard av_get_pix_fmt(pixelFormat) != AV_PIX_FMT_NONE else {
            throw PosePipeError.badUsage("--pix-fmt: unknown pixel format '\(pixelFormat)' (e.g. rgb24, bgr24, gray, yuv420p)")
        }
        guard Self.framesPerSecond(rate) != nil else {
            throw PosePipeError.badUsage("--fps needs a positive rate like 30, 29.97 or 30000/1001, not '\(rate)'")
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

    static func framesPerSecond(_ rate: String) -> Double? {
        let parts = rate.split(separator: "/", omittingEmptySubsequences: false)
        let value: Double?
        switch parts.count {
        case 1: value = Double(parts[0])
        case 2: value = Double(parts[0]).flatMap { n in Double(parts[1]).flatMap { $0 != 0 ? n / $0 : nil } }
        default: value = nil
        }
        guard let value, value.isFinite, value > 0, value <= 1000 else { return nil }
        return value
    }

    /// The demuxer options FFmpeg's own `-f rawvideo -video_size … -pixel_format … -framerate …` sets.
    var demuxerOptions: [(String, String)] {
        [("video_size", "\(width)x\(height)"), ("pixel_format", pixelFormat), ("framerate", rate)]
    }
}
