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
    /// True when reading ended because a live source sent nothing for `timeout` seconds.
    public var timedOut: Bool { interrupt.timedOut }
    /// Frames missing from a live source's timestamps (`FrameGaps`); 0 for inputs with an end.
    public var lostFrames: Int { isLive ? gaps.missing : 0 }
    /// Whether the input is a live source: a network stream, a device, or standard input declared
    /// live (`LatencyBound.applies`).
    public let isLive: Bool
    private var gaps: FrameGaps
    /// Frames dropped because they came in a pixel format swscale cannot convert.
    public var unconvertibleFrames: Int { converter.unconvertible }
    private var unconvertibleFormat: String { converter.unconvertibleFormat }

    private var format: UnsafeMutablePointer<AVFormatContext>?
    private var codec: UnsafeMutablePointer<AVCodecContext>?
    private var packet: UnsafeMutablePointer<AVPacket>?
    private var frame: UnsafeMutablePointer<AVFrame>?
    private let converter = RGBConverter()
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
    ///   - timeout: seconds without input after which reading ends (`timedOut`); nil: no limit.
    ///   - live: the user declares the source live (`VideoInfo.declaredLive`).
    public init(source: String, threads: Int = 1, raw: RawVideoFormat? = nil, timeout: Double? = nil, live: Bool = false,
                shouldStop: @escaping @Sendable () -> Bool = { false }) throws {
        FFmpegLog.install()
        let location = InputLocation(source)
        try InputChecks.beforeOpening(location, source: source)
        self.raw = raw
        interrupt = InputInterrupt(shouldStop, timeout: timeout)
        standardInput = location == .standardInput ? try StandardInputIO(interrupt: interrupt) : nil
        format = try FFmpegInput.open(location, source: source, raw: raw, interrupt: interrupt,
                               standardInput: standardInput, messages: messages)
        let format = format!
        let decoderCodec: UnsafePointer<AVCodec>
        let videoStream: UnsafeMutablePointer<AVStream>
        do {
            try InputChecks.indexReachable(format, source: source)
            let infoStatus = avformat_find_stream_info(format, nil)
            if infoStatus < 0 {
                if interrupt.timedOut { throw PosePipeError.sourceStalled(path: source, seconds: timeout ?? 0) }
                throw shouldStop() ? PosePipeError.interrupted
                    : PosePipeError.notAVideo(path: source, reason: messages.lastError() ?? FFmpegError.message(infoStatus))
            }
            (streamIndex, videoStream, decoderCodec) = try FFmpegInput.videoStream(in: format, source: source)
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
        gaps = FrameGaps(step: frameStep)
        let rotation = FFmpegInput.clockwiseRotation(of: videoStream)
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
            codec: String(cString: decoderCodec.pointee.name), orientation: orientation, declaredLive: live)
        isLive = LatencyBound.applies(to: info)
        if isLive, Self.holdsLastFrame(format) { interrupt.flushWhenIdle(after: Self.idleFlushSeconds) }
        // Probing read input; whatever the caller does before the first frame is no stall.
        interrupt.noteInput()
    }

    deinit {
        interrupt.watch(nil)
        if let codec { FFmpegLog.stopListening(to: codec) }
        if let format { FFmpegLog.stopListening(to: format) }
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
        if lostFrames > 0 {
            lines.append("lost before posepipe: \(Self.count(lostFrames, "frame")) missing from the stream's timestamps (the network or FFmpeg's receive buffer dropped them)")
        }
        if unconvertibleFrames > 0 {
            lines.append("skipped \(Self.count(unconvertibleFrames, "frame")) in pixel format \(unconvertibleFormat), which FFmpeg's scaler cannot convert")
        }
        return lines
    }

    /// The next frame in presentation order, or nil at the end of the stream.
    /// - Throws: `notAVideo` at the end of an input that held no frame at all.
    public func next() throws -> VideoFrame? {
        try next(withoutPixelsIf: { _ in false })
    }

    /// The next frame, without its pixels (not converted to RGB) when `stale` says, of its PTS, that
    /// it will be skipped anyway: a live source's decoder that falls behind catches up this way.
    public func next(withoutPixelsIf stale: (Double) -> Bool) throws -> VideoFrame? {
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
                if let converted = convert(frame, stale: stale) { return converted }
                continue
            }
            if received == FFmpegError.endOfFile {
                finish()
                return try next(withoutPixelsIf: stale)
            }
            if received != FFmpegError.again {
                // A broken picture: count it, drop it, keep decoding.
                corruptPackets += 1
                continue
            }
            if draining {
                finish()
                return try next(withoutPixelsIf: stale)
            }
            let mark = messages.count
            let read = av_read_frame(format, packet)
            if interrupt.takeIdleFlush() {
                // The flush ended the read with an error on the I/O context; the source goes on.
                format.pointee.pb?.pointee.error = 0
                format.pointee.pb?.pointee.eof_reached = 0
                if read < 0 { continue }
            }
            if read == FFmpegError.again && !interrupt.shouldStop() && !interrupt.timedOut {
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
            interrupt.noteInput()
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

    /// Seconds of silence from a live source after which the frame a demuxer holds is handed over.
    static let idleFlushSeconds = 0.1

    /// Whether `format`'s demuxer keeps a frame until the next one starts (a PES without a length,
    /// a raw elementary stream split by a parser), so a stream's last frame needs an idle flush.
    private static func holdsLastFrame(_ format: UnsafeMutablePointer<AVFormatContext>) -> Bool {
        let name = String(cString: format.pointee.iformat.pointee.name)
        return ["mpegts", "h264", "hevc", "mpeg", "mpegvideo"].contains(name)
    }

    /// Notes why reading stopped. A read error is a cut; a plain end of file may be one too
    /// (FFmpeg reports the end of a truncated file as an ordinary end), which `finish` judges.
    private func noteEnd(status: Int32, messagesBefore mark: Int) {
        guard !interrupt.shouldStop(), !interrupt.timedOut else { return }
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
        if interrupt.timedOut && nextIndex == 0 {
            emptyInput = .sourceStalled(path: info.source, seconds: interrupt.timeout ?? 0)
            return
        }
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

    private func convert(_ frame: UnsafeMutablePointer<AVFrame>, stale: (Double) -> Bool) -> VideoFrame? {
        let width = Int(frame.pointee.width), height = Int(frame.pointee.height)
        let pts = timestamp(of: frame)
        if stale(pts) {
            gaps.note(pts: pts)
            defer { nextIndex += 1 }
            return VideoFrame.placeholder(index: nextIndex, pts: pts, width: width, height: height, orientation: info.orientation)
        }
        guard let rgb = converter.rgb(of: frame) else { return nil }
        gaps.note(pts: pts)
        defer { nextIndex += 1 }
        return VideoFrame(index: nextIndex, pts: pts, width: width, height: height, rgb: rgb, orientation: info.orientation)
    }

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
}
