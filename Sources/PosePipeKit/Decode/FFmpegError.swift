import CFFmpeg

/// FFmpeg's text for its negative status codes.
enum FFmpegError {
    static func message(_ status: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        av_strerror(status, &buffer, buffer.count)
        return String(nulTerminated: buffer)
    }
}

/// FFmpeg prints to stderr by default; posepipe promises one clear line per problem.
public enum FFmpegLog {
    /// Silences FFmpeg's own messages, or lets its warnings through (for `--verbose`).
    /// Call once, before opening inputs: FFmpeg's log level is process-wide.
    public static func configure(verbose: Bool) {
        av_log_set_level(verbose ? AV_LOG_WARNING : AV_LOG_QUIET)
    }
}
