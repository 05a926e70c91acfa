import CFFmpeg
import Foundation

/// Whether a file is a video, asked of FFmpeg rather than of its name: a batch finds its clips
/// this way, so `clip.dat` holding MPEG-TS counts and `notes.mp4` holding text does not.
public enum MediaProbe {
    public enum Verdict: Sendable, Equatable {
        /// FFmpeg opens it and finds a moving-picture stream.
        case video
        /// Not media, or media without moving pictures; the reason says which.
        case notVideo(String)
        /// The file cannot be opened at all (permissions, I/O error).
        case unreadable(String)
    }

    /// Demuxers whose "video stream" is no film: a still picture, or text drawn as one
    /// (FFmpeg reads `.txt` files as ANSI art).
    private static func stillOrText(_ demuxer: String) -> String? {
        if demuxer == "tty" { return "text" }
        if demuxer == "image2" || demuxer.hasSuffix("_pipe") || demuxer == "image2pipe" { return "a still image" }
        return nil
    }

    /// Opens `path` with FFmpeg (`avformat_open_input` and `avformat_find_stream_info`) and looks
    /// for a video stream that is neither cover art nor a still picture.
    public static func probe(_ path: String) -> Verdict {
        FFmpegLog.install()
        guard let status = FileSystem.status(path) else { return .unreadable(FileSystem.lastError) }
        if status.st_size == 0 { return .notVideo("the file is empty") }
        var format: UnsafeMutablePointer<AVFormatContext>?
        let opened = InputLocation.file(path: path).withFFmpegURL { avformat_open_input(&format, $0, nil, nil) }
        guard opened >= 0, let context = format else {
            if opened == posepipe_averror(EACCES) || opened == posepipe_averror(EPERM) || opened == posepipe_averror(EIO) {
                return .unreadable(FFmpegError.message(opened).lowercased())
            }
            return .notVideo("not media FFmpeg reads")
        }
        defer { avformat_close_input(&format) }
        let demuxer = String(cString: context.pointee.iformat.pointee.name)
        if let kind = stillOrText(demuxer) { return .notVideo(kind) }
        guard avformat_find_stream_info(context, nil) >= 0 else { return .notVideo("not media FFmpeg reads") }
        var sawCoverArt = false
        for index in 0..<Int(context.pointee.nb_streams) {
            guard let stream = context.pointee.streams[index],
                  stream.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO else { continue }
            if FFmpegInput.isCoverArt(stream) {
                sawCoverArt = true
                continue
            }
            return .video
        }
        return .notVideo(sawCoverArt ? "no video stream (only cover art)" : "no video stream")
    }
}
