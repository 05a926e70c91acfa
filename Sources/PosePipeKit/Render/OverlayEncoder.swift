import CFFmpeg
import Foundation

/// Writes the overlay video: display-oriented RGB pictures encoded with libavcodec (H.264 through
/// libx264 when this FFmpeg has it, MPEG-4 part 2 otherwise) into the container the output's
/// name asks for, each frame at its own PTS in the input's time base, so variable frame rates
/// survive, and the input's audio copied packet for packet.
///
/// The file is written under a temporary name beside the output and renamed when `finish`
/// completes; memory is one picture and the encoder's lookahead, whatever the video's length.
public final class OverlayEncoder {
    public let path: String
    /// The encoded size: the pictures' size rounded down to even numbers, as 4:2:0 chroma needs
    /// (an odd last column or row is left out).
    public let width: Int
    public let height: Int
    /// `libx264` or `mpeg4`.
    public let codecName: String
    /// What was left out, one line each (no prefix).
    public private(set) var warnings: [String] = []
    /// Frames the input's container lists for its video, nil when unknown (a stream, WebM…).
    public var listedFrames: Int? { source?.listedFrames }

    private let temporaryPath: String
    private var output: UnsafeMutablePointer<AVFormatContext>?
    private var encoder: UnsafeMutablePointer<AVCodecContext>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var scaler: OpaquePointer?
    private let source: SourceStreams?
    private let videoIndex: Int32
    private var audioIndex: Int32?
    private let timeBase: AVRational
    private let fps: Double
    private var lastTicks = Int64.min
    /// The last gap between two frames, in ticks: what a packet without a duration lasts.
    private var frameTicks: Int64 = 1
    private var lastAudioDTS = Int64.min
    private var retimedAudioPackets = 0
    private var finished = false

    /// Starts `path` for `width` × `height` pictures; `source` is the input file (its time base
    /// and audio are used when it is a local file) and `fps` its nominal rate.
    public init(path: String, width: Int, height: Int, fps: Double, source: String) throws {
        self.path = path
        try OutputFiles.checkReplaceable(path)
        let (folder, name) = OutputFiles.split(path)
        // A new file of posepipe's own; FFmpeg then writes it by name.
        let temporary = try OutputFiles.createTemporary(in: folder, prefix: "." + name, reportedAs: path)
        close(temporary.descriptor)
        temporaryPath = temporary.path
        // Until the encoder is whole, a failure leaves no temporary file behind.
        var complete = false
        defer { if !complete { OutputFiles.remove(temporary.path) } }
        self.width = width & ~1
        self.height = height & ~1
        FFmpegLog.install()
        guard self.width > 0, self.height > 0, let container = av_guess_format(nil, path, nil) else {
            throw self.width > 0 && self.height > 0
                ? PosePipeError.badUsage("cannot tell a video format from the name \(path); end it in .mp4, .mkv or .mov")
                : PosePipeError.badUsage("cannot encode a \(width)×\(height) video")
        }
        self.source = SourceStreams(path: source)
        timeBase = self.source?.videoTimeBase ?? AVRational(num: 1, den: 90_000)
        self.fps = fps.isFinite ? fps : 0
        func failure(_ reason: String) -> PosePipeError { .outputUnwritable(path: path, reason: reason) }

        var context: UnsafeMutablePointer<AVFormatContext>?
        guard avformat_alloc_output_context2(&context, container, nil, temporaryPath) >= 0, let context else {
            throw failure("cannot start a \(String(cString: container.pointee.name)) file")
        }
        output = context
        let codec: UnsafePointer<AVCodec>
        if let x264 = avcodec_find_encoder_by_name("libx264") {
            codec = x264
        } else if let mpeg4 = avcodec_find_encoder(AV_CODEC_ID_MPEG4) {
            codec = mpeg4
        } else {
            throw failure("this FFmpeg has neither libx264 nor an MPEG-4 encoder")
        }
        codecName = String(cString: codec.pointee.name)
        guard let encoder = avcodec_alloc_context3(codec), let stream = avformat_new_stream(context, nil) else {
            throw failure("out of memory")
        }
        self.encoder = encoder
        videoIndex = stream.pointee.index
        try configure(encoder, codec: codec, globalHeader: context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0)
        avcodec_parameters_from_context(stream.pointee.codecpar, encoder)
        stream.pointee.time_base = timeBase
        addAudio(to: context, container: container)
        try start(context)
        complete = true
    }

    /// Sets up and opens the video encoder: 4:2:0 at the pictures' size in the input's time base.
    private func configure(_ encoder: UnsafeMutablePointer<AVCodecContext>, codec: UnsafePointer<AVCodec>, globalHeader: Bool) throws {
        encoder.pointee.width = Int32(width)
        encoder.pointee.height = Int32(height)
        encoder.pointee.pix_fmt = AV_PIX_FMT_YUV420P
        encoder.pointee.time_base = timeBase
        if fps > 0 { encoder.pointee.framerate = av_d2q(fps, 100_000) }
        // swscale converts with BT.601 coefficients into limited range; say so to players.
        encoder.pointee.colorspace = AVCOL_SPC_SMPTE170M
        encoder.pointee.color_range = AVCOL_RANGE_MPEG
        if globalHeader {
            encoder.pointee.flags |= Int32(AV_CODEC_FLAG_GLOBAL_HEADER)
        }
        if codecName == "libx264" {
            av_opt_set(encoder.pointee.priv_data, "preset", "veryfast", 0)
            av_opt_set(encoder.pointee.priv_data, "crf", "20", 0)
        } else {
            // Fixed quantiser 3 (FF_QP2LAMBDA is 118): sharp lines at MPEG-4 part 2's quality.
            encoder.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
            encoder.pointee.global_quality = 3 * 118
        }
        let status = avcodec_open2(encoder, codec, nil)
        guard status >= 0 else { throw unwritable("cannot open the \(codecName) encoder: \(FFmpegError.message(status))") }
    }

    /// A stream for the input's audio, copied as it is, when the container can hold its codec.
    private func addAudio(to context: UnsafeMutablePointer<AVFormatContext>, container: UnsafePointer<AVOutputFormat>) {
        guard let audio = source?.audio else { return }
        if avformat_query_codec(context.pointee.oformat, audio.parameters.pointee.codec_id, FF_COMPLIANCE_NORMAL) == 1,
           let audioStream = avformat_new_stream(context, nil) {
            avcodec_parameters_copy(audioStream.pointee.codecpar, audio.parameters)
            audioStream.pointee.codecpar.pointee.codec_tag = 0
            audioStream.pointee.time_base = audio.timeBase
            audioIndex = audioStream.pointee.index
        } else {
            let name = String(cString: avcodec_get_name(audio.parameters.pointee.codec_id))
            warnings.append("audio left out: a \(String(cString: container.pointee.name)) file cannot hold \(name)")
        }
    }

    /// Opens the temporary file, writes the container's header, and makes the picture and the
    /// RGB-to-YUV converter every frame reuses.
    private func start(_ context: UnsafeMutablePointer<AVFormatContext>) throws {
        var status = avio_open(&context.pointee.pb, temporaryPath, AVIO_FLAG_WRITE)
        guard status >= 0 else { throw unwritable(FFmpegError.message(status)) }
        status = avformat_write_header(context, nil)
        guard status >= 0 else { throw unwritable(FFmpegError.message(status)) }
        frame = av_frame_alloc()
        packet = av_packet_alloc()
        guard let frame else { throw unwritable("out of memory") }
        frame.pointee.width = Int32(width)
        frame.pointee.height = Int32(height)
        frame.pointee.format = AV_PIX_FMT_YUV420P.rawValue
        status = av_frame_get_buffer(frame, 0)
        guard status >= 0 else { throw unwritable(FFmpegError.message(status)) }
        scaler = sws_getContext(Int32(width), Int32(height), AV_PIX_FMT_RGB24, Int32(width), Int32(height),
                                AV_PIX_FMT_YUV420P, SWS_BILINEAR, nil, nil, nil)
        guard scaler != nil else { throw unwritable("cannot convert RGB to YUV") }
    }

    private func unwritable(_ reason: String) -> PosePipeError {
        .outputUnwritable(path: path, reason: reason)
    }

    deinit {
        abandon()
        sws_freeContext(scaler)
        av_frame_free(&frame)
        av_packet_free(&packet)
        avcodec_free_context(&encoder)
        avformat_free_context(output)
    }

    /// Encodes one picture (`rowWidth` × `height'` RGB24, at least the encoded size) shown at `pts` seconds.
    public func write(rgb: [UInt8], rowWidth: Int, pts: Double) throws {
        guard !finished, let encoder, let frame else { throw PosePipeError.outputUnwritable(path: path, reason: "already finished") }
        try copyAudio(before: pts)
        var status = av_frame_make_writable(frame)
        guard status >= 0 else { throw failure(status) }
        let planes = [frame.pointee.data.0, frame.pointee.data.1, frame.pointee.data.2, nil]
        let planeStrides = [frame.pointee.linesize.0, frame.pointee.linesize.1, frame.pointee.linesize.2, 0]
        rgb.withUnsafeBufferPointer { pixels in
            let source: [UnsafePointer<UInt8>?] = [pixels.baseAddress]
            _ = sws_scale(scaler, source, [Int32(rowWidth * 3)], 0, Int32(height), planes, planeStrides)
        }
        // Timestamps must rise; a repeated one (a broken stream) moves up by one tick.
        var ticks = Int64((pts / av_q2d(timeBase)).rounded())
        if lastTicks == .min, fps > 0 { frameTicks = max(1, Int64((1 / (fps * av_q2d(timeBase))).rounded())) }
        if ticks <= lastTicks { ticks = lastTicks + 1 }
        if lastTicks != .min { frameTicks = ticks - lastTicks }
        lastTicks = ticks
        frame.pointee.pts = ticks
        status = avcodec_send_frame(encoder, frame)
        guard status >= 0 else { throw failure(status) }
        try drain()
    }

    /// Flushes the encoder, copies the rest of the audio, closes the file and renames it into place.
    public func finish() throws {
        guard !finished, let encoder, let output else { return }
        avcodec_send_frame(encoder, nil)
        try drain()
        try copyAudio(before: nil)
        if retimedAudioPackets > 0 {
            warnings.append("\(retimedAudioPackets) audio packet\(retimedAudioPackets == 1 ? "" : "s") repeating the timestamp before moved one tick on")
        }
        var status = av_write_trailer(output)
        guard status >= 0 else { throw failure(status) }
        status = avio_closep(&output.pointee.pb)
        guard status >= 0 else { throw failure(status) }
        finished = true
        let descriptor = FileName.withCString(temporaryPath) { open($0, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) }
        let synced = descriptor >= 0 && fsync(descriptor) == 0
        let reason = FileSystem.lastError
        if descriptor >= 0 { close(descriptor) }
        do {
            guard synced else { throw PosePipeError.outputUnwritable(path: path, reason: reason) }
            try OutputFiles.replace(path, with: temporaryPath)
        } catch {
            OutputFiles.remove(temporaryPath)
            throw error
        }
    }

    /// Stops without a file: the temporary one is removed, the output path left as it was.
    public func abandon() {
        guard !finished else { return }
        finished = true
        if let output, output.pointee.pb != nil { avio_closep(&output.pointee.pb) }
        OutputFiles.remove(temporaryPath)
    }

    private func drain() throws {
        guard let encoder, let packet, let output, let stream = output.pointee.streams[Int(videoIndex)] else { return }
        while true {
            let status = avcodec_receive_packet(encoder, packet)
            if status == FFmpegError.again || status == FFmpegError.endOfFile { return }
            guard status >= 0 else { throw failure(status) }
            // The encoder leaves durations out; MP4 then gives the last frame none and its edit
            // list ends before it, so a player would drop it.
            if packet.pointee.duration == 0 { packet.pointee.duration = frameTicks }
            av_packet_rescale_ts(packet, encoder.pointee.time_base, stream.pointee.time_base)
            packet.pointee.stream_index = videoIndex
            let written = av_interleaved_write_frame(output, packet)
            guard written >= 0 else { throw failure(written) }
        }
    }

    private func copyAudio(before seconds: Double?) throws {
        guard let audioIndex, let source, let output, let audio = source.audio,
              let stream = output.pointee.streams[Int(audioIndex)] else { return }
        try source.audioPackets(before: seconds) { packet in
            av_packet_rescale_ts(packet, audio.timeBase, stream.pointee.time_base)
            // A looped or concatenated input can repeat a timestamp where its parts join; MP4
            // refuses that, so such a packet moves one tick on, as FFmpeg's own stream copy does.
            let none = posepipe_nopts_value()
            if packet.pointee.dts != none {
                if packet.pointee.dts <= lastAudioDTS {
                    packet.pointee.dts = lastAudioDTS + 1
                    if packet.pointee.pts != none && packet.pointee.pts < packet.pointee.dts { packet.pointee.pts = packet.pointee.dts }
                    retimedAudioPackets += 1
                }
                lastAudioDTS = packet.pointee.dts
            }
            packet.pointee.stream_index = audioIndex
            packet.pointee.pos = -1
            let written = av_interleaved_write_frame(output, packet)
            guard written >= 0 else { throw failure(written) }
        }
    }

    private func failure(_ status: Int32) -> PosePipeError {
        .outputUnwritable(path: path, reason: FFmpegError.message(status))
    }
}
