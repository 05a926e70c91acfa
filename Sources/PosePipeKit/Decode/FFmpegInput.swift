import CFFmpeg
import Foundation

/// Opening an input with libavformat and choosing its video stream: the decode stage's first job,
/// which ends either in an open container or in the one error that says why not.
enum FFmpegInput {
    /// Opens `location` (or headerless frames of `raw`), reading standard input through `standardInput`.
    static func open(_ location: InputLocation, source: String, raw: RawVideoFormat?, interrupt: InputInterrupt,
                     standardInput: StandardInputIO?, messages: FFmpegMessages) throws -> UnsafeMutablePointer<AVFormatContext> {
        guard let allocated = avformat_alloc_context() else {
            throw PosePipeError.inputUnreadable(path: source, reason: "out of memory")
        }
        allocated.pointee.interrupt_callback = interrupt.callback
        interrupt.watch(allocated)
        if let standardInput {
            allocated.pointee.pb = standardInput.context
            allocated.pointee.flags |= AVFMT_FLAG_CUSTOM_IO
        }
        FFmpegLog.listen(to: allocated, with: messages)
        var options: OpaquePointer?
        defer { av_dict_free(&options) }
        var inputFormat: UnsafePointer<AVInputFormat>?
        if let raw {
            inputFormat = av_find_input_format("rawvideo")
            for (key, value) in raw.demuxerOptions { av_dict_set(&options, key, value, 0) }
        } else if location.localPath == nil {
            for (key, value) in liveOptions { av_dict_set(&options, key, value, 0) }
        }
        var context: UnsafeMutablePointer<AVFormatContext>? = allocated
        let status = location.withFFmpegURL { avformat_open_input(&context, $0, inputFormat, &options) }
        guard status >= 0, let context else {
            // FFmpeg has freed the context it was given.
            interrupt.watch(nil)
            FFmpegLog.stopListening(to: allocated)
            if interrupt.shouldStop() { throw PosePipeError.interrupted }
            if interrupt.timedOut { throw PosePipeError.sourceStalled(path: source, seconds: interrupt.timeout ?? 0) }
            throw openError(source: source, status: status, detail: messages.lastError())
        }
        return context
    }

    /// For a stream or URL, which may be live: the frame rate is learnt from two frames, not
    /// FFmpeg's 20 (two thirds of a second of a live source before its first frame), and a UDP
    /// receive buffer that overflows loses packets (counted by their frames, `FrameGaps`) instead
    /// of ending the input. Options a protocol does not know are left unused.
    static let liveOptions = [("fpsprobesize", "2"), ("overrun_nonfatal", "1")]

    /// The best video stream, passing over cover art (a still picture attached to audio).
    static func videoStream(in format: UnsafeMutablePointer<AVFormatContext>, source: String) throws
        -> (index: Int32, stream: UnsafeMutablePointer<AVStream>, decoder: UnsafePointer<AVCodec>) {
        var decoder: UnsafePointer<AVCodec>?
        let best = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, &decoder, 0)
        if best >= 0, let stream = format.pointee.streams[Int(best)], let decoder, !isCoverArt(stream) {
            return (best, stream, decoder)
        }
        for index in 0..<Int(format.pointee.nb_streams) {
            guard let stream = format.pointee.streams[index], stream.pointee.codecpar.pointee.codec_type == AVMEDIA_TYPE_VIDEO,
                  !isCoverArt(stream), let found = avcodec_find_decoder(stream.pointee.codecpar.pointee.codec_id) else { continue }
            return (Int32(index), stream, found)
        }
        if best >= 0, decoder == nil {
            throw PosePipeError.notAVideo(path: source, reason: "no decoder for its video stream")
        }
        throw PosePipeError.notAVideo(path: source, reason: "no video stream")
    }

    static func isCoverArt(_ stream: UnsafeMutablePointer<AVStream>) -> Bool {
        stream.pointee.disposition & AV_DISPOSITION_ATTACHED_PIC != 0
    }

    /// The clockwise turn the stream's display matrix asks for, in degrees (0 without one).
    static func clockwiseRotation(of stream: UnsafeMutablePointer<AVStream>) -> Double {
        var size: Int = 0
        guard let data = av_stream_get_side_data(stream, AV_PKT_DATA_DISPLAYMATRIX, &size), size >= 9 * 4 else {
            return 0
        }
        let counterClockwise = data.withMemoryRebound(to: Int32.self, capacity: 9) { av_display_rotation_get($0) }
        return counterClockwise.isFinite ? -counterClockwise : 0
    }

    private static func openError(source: String, status: Int32, detail: String?) -> PosePipeError {
        if status == posepipe_averror(ENOENT) { return .inputNotFound(path: source) }
        if status == posepipe_averror(EACCES) || status == posepipe_averror(EPERM) {
            return .inputUnreadable(path: source, reason: "permission denied")
        }
        if status == posepipe_averror(EISDIR) { return .inputUnreadable(path: source, reason: "is a directory") }
        return .notAVideo(path: source, reason: detail ?? FFmpegError.message(status))
    }
}
