import CFFmpeg
import Foundation

/// Writes RGB24 pictures as PNG files with FFmpeg's own PNG encoder.
public enum PNGEncoder {
    /// Writes the picture to `output` and commits it (a file takes its name only when whole).
    public static func write(rgb: [UInt8], width: Int, height: Int, to output: StreamedOutput) throws {
        func failure(_ reason: String) -> PosePipeError { .outputUnwritable(path: output.path, reason: reason) }
        guard let codec = avcodec_find_encoder(AV_CODEC_ID_PNG) else { throw failure("FFmpeg has no PNG encoder") }
        var context = avcodec_alloc_context3(codec)
        var frame = av_frame_alloc()
        var packet = av_packet_alloc()
        defer {
            av_packet_free(&packet)
            av_frame_free(&frame)
            avcodec_free_context(&context)
        }
        guard let context, let frame, let packet else { throw failure("out of memory") }
        context.pointee.width = Int32(width)
        context.pointee.height = Int32(height)
        context.pointee.pix_fmt = AV_PIX_FMT_RGB24
        context.pointee.time_base = AVRational(num: 1, den: 1)
        var status = avcodec_open2(context, codec, nil)
        guard status >= 0 else { throw failure(FFmpegError.message(status)) }
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        frame.pointee.format = AV_PIX_FMT_RGB24.rawValue
        status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else { throw failure(FFmpegError.message(status)) }
        let stride = Int(frame.pointee.linesize.0)
        rgb.withUnsafeBytes { source in
            for row in 0..<height {
                memcpy(frame.pointee.data.0! + row * stride, source.baseAddress! + row * width * 3, width * 3)
            }
        }
        status = avcodec_send_frame(context, frame)
        guard status >= 0 else { throw failure(FFmpegError.message(status)) }
        avcodec_send_frame(context, nil)
        var bytes = Data()
        while avcodec_receive_packet(context, packet) >= 0 {
            bytes.append(packet.pointee.data, count: Int(packet.pointee.size))
            av_packet_unref(packet)
        }
        try output.writeAll(bytes)
        try output.commit()
    }
}
