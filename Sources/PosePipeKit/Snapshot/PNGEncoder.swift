import CFFmpeg
import Foundation

/// Writes RGB24 pictures as PNG files with FFmpeg's own PNG encoder.
public enum PNGEncoder {
    /// Writes the picture to `path`, or to standard output for `-`.
    public static func write(rgb: [UInt8], width: Int, height: Int, to path: String) throws {
        func failure(_ reason: String) -> PosePipeError { .outputUnwritable(path: path, reason: reason) }
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
        try save(bytes, to: path)
    }

    private static func save(_ bytes: Data, to path: String) throws {
        let descriptor = path == "-" ? STDOUT_FILENO
            : FileName.withCString(path) { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666) }
        guard descriptor >= 0 else { throw PosePipeError.outputUnwritable(path: path, reason: FileSystem.lastError) }
        defer { if descriptor != STDOUT_FILENO { close(descriptor) } }
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress! + sent, $0.count - sent) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                if errno == EPIPE { throw PosePipeError.outputClosed(path: path) }
                throw PosePipeError.outputUnwritable(path: path, reason: count == 0 ? "nothing written" : FileSystem.lastError)
            }
            sent += count
        }
    }
}
