import CFFmpeg

/// The caller's stop request, where FFmpeg's blocking reads can see it: network protocols poll
/// an `AVIOInterruptCB`, and posepipe's own standard-input reader polls this too, so a stalled
/// live source or pipe does not keep Ctrl-C waiting for its next byte.
final class InputInterrupt: Sendable {
    let shouldStop: @Sendable () -> Bool

    init(_ shouldStop: @escaping @Sendable () -> Bool) {
        self.shouldStop = shouldStop
    }

    /// The callback for `AVFormatContext.interrupt_callback`; valid while `self` lives.
    var callback: AVIOInterruptCB {
        AVIOInterruptCB(callback: Self.check, opaque: Unmanaged.passUnretained(self).toOpaque())
    }

    private static let check: @convention(c) (UnsafeMutableRawPointer?) -> Int32 = { opaque in
        guard let opaque else { return 0 }
        return Unmanaged<InputInterrupt>.fromOpaque(opaque).takeUnretainedValue().shouldStop() ? 1 : 0
    }
}
