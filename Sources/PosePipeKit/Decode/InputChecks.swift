import CFFmpeg
import Foundation

/// Inputs refused before any frame is read, each with a line that says what to do rather than
/// what FFmpeg would report at the end (or not at all).
enum InputChecks {
    /// Problems plain before FFmpeg looks: a terminal or a folder on standard input, a missing,
    /// unreadable, folder or empty file.
    static func beforeOpening(_ location: InputLocation, source: String) throws {
        switch location {
        case .standardInput:
            if isatty(STDIN_FILENO) == 1 {
                throw PosePipeError.inputUnreadable(path: "-", reason: "standard input is a terminal; pipe a video in")
            }
            var status = stat()
            if fstat(STDIN_FILENO, &status) == 0 && status.isDirectory {
                throw PosePipeError.inputUnreadable(path: "-", reason: "standard input is a folder")
            }
        case .file(let path):
            guard let status = FileSystem.status(path) else {
                throw errno == ENOENT || errno == ENOTDIR ? PosePipeError.inputNotFound(path: source)
                    : PosePipeError.inputUnreadable(path: source, reason: FileSystem.lastError)
            }
            if status.isDirectory {
                throw PosePipeError.inputUnreadable(path: source, reason: "is a directory")
            }
            if status.isRegularFile && status.st_size == 0 {
                throw PosePipeError.notAVideo(path: source, reason: "the file is empty")
            }
        case .url:
            break
        }
    }

    static let movedIndexAdvice = "an MP4 whose index (moov atom) is at its end cannot be read from a pipe: "
        + "pass the file itself, or remux it first (ffmpeg -i clip.mp4 -c copy -movflags +faststart fast.mp4, or -f nut)"

    /// An MP4 read from a pipe whose index came after its frames: by the time the demuxer has
    /// the index it has read past every frame and cannot go back, so not one frame would come.
    static func indexReachable(_ format: UnsafeMutablePointer<AVFormatContext>, source: String) throws {
        guard String(cString: format.pointee.iformat.pointee.name).hasPrefix("mov,"),
              let io = format.pointee.pb, io.pointee.seekable == 0 else { return }
        let position = avio_tell(io)
        for index in 0..<Int(format.pointee.nb_streams) {
            guard let stream = format.pointee.streams[index], avformat_index_get_entries_count(stream) > 0,
                  let first = avformat_index_get_entry(stream, 0) else { continue }
            if first.pointee.pos < position {
                throw PosePipeError.notAVideo(path: source, reason: movedIndexAdvice)
            }
        }
    }

    /// A stream whose pixel format swscale cannot turn into RGB would lose every frame.
    static func convertible(_ stream: UnsafeMutablePointer<AVStream>, source: String) throws {
        let format = stream.pointee.codecpar.pointee.format
        guard format >= 0, sws_isSupportedInput(AVPixelFormat(rawValue: format)) == 0 else { return }
        let name = av_get_pix_fmt_name(AVPixelFormat(rawValue: format)).map { String(cString: $0) } ?? "#\(format)"
        throw PosePipeError.notAVideo(path: source, reason: "its pixel format \(name) cannot be converted: FFmpeg's scaler does not read it")
    }
}
