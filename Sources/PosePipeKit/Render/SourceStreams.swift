import CFFmpeg
import Foundation

/// A second, demux-only look at a local input file, for what an overlay needs beside the decoded
/// frames: the video stream's time base (so every frame keeps its exact PTS), the frame count
/// the container lists, and the audio packets to copy.
final class SourceStreams {
    /// The video stream's time base.
    let videoTimeBase: AVRational
    /// Frames the container lists for the video stream (MP4 and MOV do), nil when unknown.
    let listedFrames: Int?
    private var format: UnsafeMutablePointer<AVFormatContext>?
    private let audioIndex: Int32?
    private var pending: UnsafeMutablePointer<AVPacket>?
    private var exhausted = false

    /// Opens `path`; nil when it is not a local file FFmpeg can read.
    init?(path source: String) {
        guard case .file(let path) = InputLocation(source) else { return nil }
        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_open_input(&context, path, nil, nil) >= 0, let context else { return nil }
        format = context
        guard avformat_find_stream_info(context, nil) >= 0 else {
            avformat_close_input(&format)
            return nil
        }
        let video = av_find_best_stream(context, AVMEDIA_TYPE_VIDEO, -1, -1, nil, 0)
        guard video >= 0, let stream = context.pointee.streams[Int(video)] else {
            avformat_close_input(&format)
            return nil
        }
        videoTimeBase = stream.pointee.time_base
        listedFrames = stream.pointee.nb_frames > 0 ? Int(stream.pointee.nb_frames) : nil
        let audio = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, video, nil, 0)
        audioIndex = audio >= 0 ? audio : nil
        // Only the audio packets are wanted: the demuxer may skip the rest.
        for index in 0..<Int(context.pointee.nb_streams) where Int32(index) != audioIndex {
            context.pointee.streams[index]?.pointee.discard = AVDISCARD_ALL
        }
        pending = av_packet_alloc()
    }

    deinit {
        av_packet_free(&pending)
        avformat_close_input(&format)
    }

    /// The audio stream's parameters and time base, when the input has audio.
    var audio: (parameters: UnsafeMutablePointer<AVCodecParameters>, timeBase: AVRational)? {
        guard let audioIndex, let format, let stream = format.pointee.streams[Int(audioIndex)] else { return nil }
        return (stream.pointee.codecpar, stream.pointee.time_base)
    }

    /// Hands `write` every audio packet that starts before `seconds` (all that are left when nil),
    /// in file order; a packet past the limit waits for the next call.
    func audioPackets(before seconds: Double?, _ write: (UnsafeMutablePointer<AVPacket>) throws -> Void) throws {
        guard let format, let pending, let audioIndex, let stream = format.pointee.streams[Int(audioIndex)] else { return }
        let timeBase = av_q2d(stream.pointee.time_base)
        while true {
            if pending.pointee.data == nil && pending.pointee.side_data_elems == 0 {
                guard !exhausted else { return }
                guard av_read_frame(format, pending) >= 0 else {
                    exhausted = true
                    return
                }
                guard pending.pointee.stream_index == audioIndex else {
                    av_packet_unref(pending)
                    continue
                }
            }
            let time = pending.pointee.pts != posepipe_nopts_value() ? pending.pointee.pts : pending.pointee.dts
            if let seconds, time != posepipe_nopts_value(), Double(time) * timeBase > seconds { return }
            try write(pending)
            av_packet_unref(pending)
        }
    }
}
