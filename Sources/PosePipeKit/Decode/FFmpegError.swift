import CFFmpeg

/// FFmpeg's text for its negative status codes.
enum FFmpegError {
    static func message(_ status: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(status, &buffer, buffer.count)
        return String(nulTerminated: buffer)
    }

    static let endOfFile = posepipe_averror_eof()
    static let exit = posepipe_averror_exit()
    static let again = posepipe_averror(EAGAIN)
}
