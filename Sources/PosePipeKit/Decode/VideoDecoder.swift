import CFFmpeg
import Foundation

/// Decode stage: reads any container and codec FFmpeg reads, yields RGB24 frames in stream order.
///
/// Bad data never ends a run silently or loudly: undecodable packets are skipped and counted,
/// an input that stops short keeps every frame before the cut and says so in `warnings`.
///
/// Not thread-safe: a pipeline hands the decoder to its decode stage, the only thread that uses it.
public final class VideoDecoder: @unchecked Sendable {
    public let info: VideoInfo
    /// Packets the codec rejected; their frames are skipped, the stream goes on.
    public private(set) var corruptPackets = 0
    /// Frames the codec returned with damage it concealed; they are processed like the others.
    public private(set) var damagedFrames = 0
    /// Why the input stopped before its end (a cut file, a read error), when it did.
    public private(set) var endedEarly: String?
    /// The size of a trailing raw frame too short to be a frame, which was dropped.
    public private(set) var partialFrameBytes: Int?
    /// True once every frame of the input was returned (false after a stop request).
    public private(set) var reachedEnd = false
    /// Frames dropped because they came in a pixel format swscale cannot convert, and that format.
    public private(set) var unconvertibleFrames = 0
    private var unconvertibleFormat = ""

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var scaler: OpaquePointer?
    private let streamIndex: Int32
    private let timeBase: Double
    private let frameStep: Double
    private let raw: RawVideoFormat?
    private let interrupt: InputInterrupt
    private let standardInput: StandardInputIO?
    private let messages = FFmpegMessages()
    private var nextIndex = 0
    private var lastPTS: Double?
    private var packetsRead = 0
    private var lastPacketRejected = false
    private var lastFrameDamaged = false
    private var sawEndOfFile = false
    private var draining = false
    private var finished = false
    /// Thrown once the input is found to hold no frame at all.
    private var emptyInput: PosePipeError?
    /// Why the display matrix was not applied, when it asks for a turn that is not a quarter turn.
    private let orientationNote: String?

    /// Opens `source`: a path, `-` for standard input, or any URL FFmpeg opens.
    /// - Parameters:
    ///   - threads: decoder threads; 0 lets FFmpeg choose.
    ///   - raw: read headerless frames of this format instead of probing a container.
    ///   - shouldStop: polled while waiting for input, so a stalled stream can be stopped.
    public init(source: String, threads: Int = 1, raw: RawVideoFormat? = nil,
                shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        FFmpegLog.install()
        let location = InputLocation(source)
        try InputChecks.beforeOpening(location, source: source)
        self.raw = raw
        interrupt = InputInterrupt(shouldStop)
        standardInput = location == .standardInput ? try StandardInputIO(interrupt: interrupt) : nil
        format = try Self.open(location, source: source, raw: raw, interrupt: interrupt,
                               standardInput: standardInput, messages: messages)
        let format = format!
        let decoderCodec: UnsafePointer<AVCodec>
        let videoStream: UnsafeMutablePointer<AVStream>
        do {
            try InputChecks.indexReachable(format, source: source)
            let infoStatus = avformat_find_stream_info(format, nil)
            if infoStatus < 0 {
                throw shouldStop() ? PosePipeError.interrupted
                    : PosePipeError.notAVideo(path: source, reason: messages.lastError() ?? FFmpegError.message(infoStatus))
            }
            (streamIndex, videoStream, decoderCodec) = try Self.videoStream(in: format, source: source)
            try InputChecks.convertible(videoStream, source: source)
        } catch {
            FFmpegLog.stopListening(to: format)
            avformat_close_input(&self.format)
            throw error
        }
        guard let context = avcodec_alloc_context3(decoderCodec) else {
            FFmpegLog.stopListening(to: format)
            avformat_close_input(&self.format)
            throw PosePipeError.notAVideo(path: source, reason: "cannot allocate a decoder")
        }
        codec = context
        FFmpegLog.listen(to: context, with: messages)
        avcodec_parameters_to_context(context, videoStream.pointee.codecpar)
        context.pointee.thread_count = Int32(max(0, threads))
        context.pointee.pkt_timebase = videoStream.pointee.time_base
        let codecStatus = avcodec_open2(context, decoderCodec, nil)
        guard codecStatus >= 0 else {
            FFmpegLog.stopListening(to: context)
            FFmpegLog.stopListening(to: format)
            avcodec_free_context(&codec)
            avformat_close_input(&self.format)
            throw PosePipeError.notAVideo(path: source, reason: "cannot open the \(String(cString: decoderCodec.pointee.name)) decoder: \(FFmpegError.message(codecStatus))")
        }
        packet = av_packet_alloc()
        frame = av_frame_alloc()

        timeBase = av_q2d(videoStream.pointee.time_base)
        let rate = av_guess_frame_rate(format, videoStream, nil)
        let fps = rate.num > 0 && rate.den > 0 ? av_q2d(rate) : 0
        frameStep = fps > 0 ? 1 / fps : 0
        let rotation = Self.clockwiseRotation(of: videoStream)
        let quarterTurn = DisplayOrientation(clockwiseDegrees: rotation)
        let orientation = quarterTurn ?? .upright
        orientationNote = quarterTurn == nil
            ? String(format: "its display matrix turns the picture %.0f° clockwise, not a quarter turn: frames are used as stored",
                     (rotation.truncatingRemainder(dividingBy: 360) + 360).truncatingRemainder(dividingBy: 360))
            : nil
        let stored = (Int(videoStream.pointee.codecpar.pointee.width), Int(videoStream.pointee.codecpar.pointee.height))
        let shown = orientation.displaySize(width: stored.0, height: stored.1)
        var duration: Double?
        if videoStream.pointee.duration > 0 {
            duration = Double(videoStream.pointee.duration) * timeBase
        } else if format.pointee.duration > 0 {
            duration = Double(format.pointee.duration) / Double(AV_TIME_BASE)
        }
        info = VideoInfo(
            source: source, width: shown.width, height: shown.height, fps: fps, duration: duration,
            codec: String(cString: decoderCodec.pointee.name), orientation: orientation)
    }

    deinit {
        if let codec { FFmpegLog.stopListening(to: codec) }
        if let format { FFmpegLog.stopListening(to: format) }
        sws_freeContext(scaler)
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&codec)
        avformat_close_input(&format)
    }

    /// What went wrong with the input without stopping the run, one line each (no prefix).
    public var warnings: [String] {
        var lines: [String] = []
        if let orientationNote { lines.append(orientationNote) }
        if let endedEarly { lines.append("input ended early: \(endedEarly)") }
        if let partialFrameBytes, let raw {
            lines.append("dropped a partial last frame (\(partialFrameBytes) of \(raw.frameBytes) bytes)")
        }
        var damage: [String] = []
        if corruptPackets > 0 { damage.append("skipped \(Self.count(corruptPackets, "undecodable packet"))") }
        if damagedFrames > 0 { damage.append("\(Self.count(damagedFrames, "frame")) repaired by the decoder") }
        if !damage.isEmpty { lines.append("damaged data: " + damage.joined(separator: ", ")) }
        if unconvertibleFrames > 0 {
            lines.append("skipped \(Self.count(unconvertibleFrames, "frame")) in pixel format \(unconvertibleFormat), which FFmpeg's scaler cannot convert")
        }
        return lines
    }

    /// The next frame in presentation order, or nil at the end of the stream.
    /// - Throws: `notAVideo` at the end of an input that held no frame at all.
    public func next() throws -> VideoFrame? {
        if let emptyInput {
            self.emptyInput = nil
            throw emptyInput
        }
        guard let format, let codec, let packet, let frame else { return nil }
        while !finished {
            let received = avcodec_receive_frame(codec, frame)
            if received >= 0 {
                defer { av_frame_unref(frame) }
                lastFrameDamaged = frame.pointee.decode_error_flags != 0 || frame.pointee.flags & AV_FRAME_FLAG_CORRUPT != 0
                if lastFrameDamaged { damagedFrames += 1 }
                if let converted = convert(frame) { return converted }
                continue
            }
            if received == FFmpegError.endOfFile {
                finish()
                return try next()
            }
            if received != FFmpegError.again {
                // A broken picture: count it, drop it, keep decoding.
                corruptPackets += 1
                continue
            }
            if draining {
                finish()
                return try next()
            }
            let mark = messages.count
            let read = av_read_frame(format, packet)
            if read == FFmpegError.again && !interrupt.shouldStop() {
                // A live demuxer with nothing yet; FFmpeg asks to be called again.
                usleep(5_000)
                continue
            }
            if read < 0 {
                noteEnd(status: read, messagesBefore: mark)
                draining = true
                avcodec_send_packet(codec, nil)
                continue
            }
            defer { av_packet_unref(packet) }
            guard packet.pointee.stream_index == streamIndex else { continue }
            packetsRead += 1
            if let raw, Int(packet.pointee.size) < raw.frameBytes {
                // The rawvideo demuxer hands over whatever bytes are left; a decoder would reject it.
                partialFrameBytes = Int(packet.pointee.size)
                continue
            }
            let sent = avcodec_send_packet(codec, packet)
            lastPacketRejected = sent < 0
            if sent < 0 { corruptPackets += 1 }
        }
        return nil
    }

    /// Notes why reading stopped. A read error is a cut; a plain end of file may be one too
    /// (FFmpeg reports the end of a truncated file as an ordinary end), which `finish` judges.
    private func noteEnd(status: Int32, messagesBefore mark: Int) {
        guard !interrupt.shouldStop() else { return }
        if status == FFmpegError.endOfFile {
            sawEndOfFile = true
            // Some demuxers do say so when a file stops short ("File ended prematurely"), as a warning.
            if let said = messages.lastMessage(after: mark, atMost: AV_LOG_WARNING) { endedEarly = said }
        } else {
            endedEarly = messages.lastError(after: mark) ?? FFmpegError.message(status)
        }
    }

    /// Called once the decoder is drained. The evidence of a cut is indirect: an MP4 index that
    /// lists more frames than were read, or a last frame the codec rejected or had to patch up,
    /// which then counts as the cut rather than as damage.
    private func finish() {
        finished = true
        reachedEnd = !interrupt.shouldStop()
        if reachedEnd && nextIndex == 0 {
            emptyInput = .notAVideo(path: info.source, reason: emptyReason)
            return
        }
        guard sawEndOfFile, reachedEnd else { return }
        let lastIncomplete = lastPacketRejected || lastFrameDamaged
        if lastPacketRejected {
            corruptPackets -= 1
        } else if lastFrameDamaged {
            damagedFrames -= 1
        }
        if let format, let stream = format.pointee.streams[Int(streamIndex)],
           String(cString: format.pointee.iformat.pointee.name).hasPrefix("mov,") {
            // The MP4 demuxer indexes every sample from the moov atom before the first read.
            let listed = Int(avformat_index_get_entries_count(stream))
            if packetsRead < listed {
                endedEarly = "the file holds \(packetsRead) of the \(listed) frames its index lists"
                return
            }
        }
        if lastIncomplete { endedEarly = "its last frame is incomplete" }
    }

    /// Why an input that ended gave no frame, in FFmpeg's words when it said something.
    private var emptyReason: String {
        if let raw {
            if let partialFrameBytes {
                return "it ended inside its first frame (\(partialFrameBytes) of \(raw.frameBytes) bytes)"
            }
            if packetsRead == 0 { return "the input is empty" }
        }
        if unconvertibleFrames > 0 { return "its frames are in pixel format \(unconvertibleFormat), which FFmpeg's scaler cannot convert" }
        let said = endedEarly ?? messages.lastMessage(after: 0, atMost: AV_LOG_ERROR)
        return "no frame could be decoded" + (said.map { " (\($0))" } ?? "")
    }

    private static func count(_ n: Int, _ noun: String) -> String {
        "\(n) \(noun)\(n == 1 ? "" : "s")"
    }

    private static func open(_ location: InputLocation, source: String, raw: RawVideoFormat?, interrupt: InputInterrupt,
                             standardInput: StandardInputIO?, messages: FFmpegMessages) throws -> UnsafeMutablePointer<AVFormatContext> {
        guard let allocated = avformat_alloc_context() else {
            throw PosePipeError.inputUnreadable(path: source, reason: "out of memory")
        }
        allocated.pointee.interrupt_callback = interrupt.callback
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
        }
        var context: UnsafeMutablePointer<AVFormatContext>? = allocated
        let status = location.withFFmpegURL { avformat_open_input(&context, $0, inputFormat, &options) }
        guard status >= 0, let context else {
            // FFmpeg has freed the context it was given.
            FFmpegLog.stopListening(to: allocated)
            if interrupt.shouldStop() { throw PosePipeError.interrupted }
            throw openError(source: source, status: status, detail: messages.lastError())
        }
        return context
    }

    /// The best video stream, passing over cover art (a still picture attached to audio).
    private static func videoStream(in format: UnsafeMutablePointer<AVFormatContext>, source: String) throws
        -> (Int32, UnsafeMutablePointer<AVStream>, UnsafePointer<AVCodec>) {
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

    private func convert(_ frame: UnsafeMutablePointer<AVFrame>) -> VideoFrame? {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        guard width > 0, height > 0 else { return nil }
        let sourceFormat = AVPixelFormat(rawValue: frame.pointee.format)
        scaler = sws_getCachedContext(
            scaler, Int32(width), Int32(height), sourceFormat, Int32(width), Int32(height), AV_PIX_FMT_RGB24,
            // Plain bilinear takes swscale's SIMD path: 0.7 ms a 1080p frame instead of 6.4 ms with
            // accurate rounding and full chroma interpolation, for differences of a level or two.
            SWS_BILINEAR, nil, nil, nil)
        guard let scaler else {
            unconvertibleFrames += 1
            unconvertibleFormat = av_get_pix_fmt_name(sourceFormat).map { String(cString: $0) } ?? "#\(frame.pointee.format)"
            return nil
        }
        applyColorimetry(of: frame, to: scaler)
        // swscale writes every byte, so the buffer is not cleared first. Its SIMD converters
        // write whole vectors and run up to a few dozen bytes past the end of a row; the last
        // row's overrun lands in spare capacity that the array owns but does not count.
        let size = width * height * 3
        let rgb = [UInt8](unsafeUninitializedCapacity: size + Self.rowOverrun) { out, initialized in
            initialized = size
            var destination: UnsafeMutablePointer<UInt8>? = out.baseAddress
            var destinationStride = Int32(width * 3)
            withUnsafePointer(to: &frame.pointee.data) { planes in
                planes.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: Int(AV_NUM_DATA_POINTERS)) { source in
                    withUnsafePointer(to: &frame.pointee.linesize) { strides in
                        strides.withMemoryRebound(to: Int32.self, capacity: Int(AV_NUM_DATA_POINTERS)) { sourceStrides in
                            _ = sws_scale(scaler, source, sourceStrides, 0, Int32(height), &destination, &destinationStride)
                        }
                    }
                }
            }
        }
        let pts = timestamp(of: frame)
        defer { nextIndex += 1 }
        return VideoFrame(index: nextIndex, pts: pts, width: width, height: height, rgb: rgb, orientation: info.orientation)
    }

    /// Spare bytes after a converted frame for swscale's vector writes past the last row.
    private static let rowOverrun = 1024

    /// PTS in seconds; a frame without one is placed one nominal frame after the previous.
    private func timestamp(of frame: UnsafeMutablePointer<AVFrame>) -> Double {
        let raw = frame.pointee.best_effort_timestamp
        let pts: Double
        if raw != posepipe_nopts_value() {
            pts = Double(raw) * timeBase
        } else if let lastPTS {
            pts = lastPTS + frameStep
        } else {
            pts = 0
        }
        lastPTS = pts
        return pts
    }

    /// HD video is BT.709 and often limited range; converting it with swscale's BT.601
    /// default shifts colours the model was trained without.
    private func applyColorimetry(of frame: UnsafeMutablePointer<AVFrame>, to scaler: OpaquePointer) {
        let space: Int32
        switch frame.pointee.colorspace {
        case AVCOL_SPC_BT709: space = SWS_CS_ITU709
        case AVCOL_SPC_BT2020_NCL, AVCOL_SPC_BT2020_CL: space = SWS_CS_BT2020
        case AVCOL_SPC_UNSPECIFIED: space = frame.pointee.height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601
        default: space = SWS_CS_ITU601
        }
        let fullRange: Int32 = frame.pointee.color_range == AVCOL_RANGE_JPEG ? 1 : 0
        let table = sws_getCoefficients(space)
        sws_setColorspaceDetails(scaler, table, fullRange, sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16)
    }

    /// The clockwise turn the stream's display matrix asks for, in degrees (0 without one).
    private static func clockwiseRotation(of stream: UnsafeMutablePointer<AVStream>) -> Double {
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
