import CFFmpeg
import Foundation

/// Reads standard input for FFmpeg in place of its `pipe:0` protocol.
///
/// FFmpeg's pipe reader blocks in `read(2)` until data comes; when the writer stalls, a stop
/// request would wait for it. This reader waits in `poll(2)` a tenth of a second at a time and
/// checks the stop request in between, so Ctrl-C ends a stalled stream at once.
final class StandardInputIO {
    private(set) var context: UnsafeMutablePointer<AVIOContext>?
    private let interrupt: InputInterrupt
    private static let bufferSize = 64 * 1024
    private static let pollMilliseconds: Int32 = 100

    init(interrupt: InputInterrupt) throws {
        self.interrupt = interrupt
        guard let buffer = av_malloc(Self.bufferSize)?.assumingMemoryBound(to: UInt8.self) else {
            throw PosePipeError.inputUnreadable(path: "-", reason: "out of memory")
        }
        context = avio_alloc_context(buffer, Int32(Self.bufferSize), 0, Unmanaged.passUnretained(self).toOpaque(),
                                     Self.readPacket, nil, nil)
        guard context != nil else {
            var owned: UnsafeMutableRawPointer? = UnsafeMutableRawPointer(buffer)
            av_freep(&owned)
            throw PosePipeError.inputUnreadable(path: "-", reason: "out of memory")
        }
    }

    deinit {
        // FFmpeg may have swapped the buffer for one of its own; free whichever it holds now.
        if let context {
            var buffer: UnsafeMutableRawPointer? = UnsafeMutableRawPointer(context.pointee.buffer)
            av_freep(&buffer)
        }
        avio_context_free(&context)
    }

    private static let readPacket: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutablePointer<UInt8>?, Int32) -> Int32 = {
        opaque, buffer, size in
        guard let opaque, let buffer else { return posepipe_averror(EINVAL) }
        return Unmanaged<StandardInputIO>.fromOpaque(opaque).takeUnretainedValue().fill(buffer, size: Int(size))
    }

    private func fill(_ buffer: UnsafeMutablePointer<UInt8>, size: Int) -> Int32 {
        while true {
            if interrupt.shouldEnd() { return FFmpegError.exit }
            var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Self.pollMilliseconds)
            if ready < 0 && errno != EINTR { return posepipe_averror(errno) }
            guard ready > 0 else { continue }
            let count = read(STDIN_FILENO, buffer, size)
            if count > 0 {
                interrupt.noteInput()
                return Int32(count)
            }
            if count == 0 { return FFmpegError.endOfFile }
            if errno != EINTR && errno != EAGAIN { return posepipe_averror(errno) }
        }
    }
}
