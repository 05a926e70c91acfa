import CFFmpeg
import Foundation
import Synchronization

/// FFmpeg prints to stderr by default; posepipe promises one clear line per problem. So FFmpeg's
/// messages come here instead: each is kept for the input it concerns, so that an error can say
/// what FFmpeg saw ("moov atom not found" rather than "Invalid data found"), and is printed only
/// with `--verbose`.
public enum FFmpegLog {
    private struct State: Sendable {
        var verbose = false
        var installed = false
        /// Keyed by the address of the FFmpeg context (format or codec) the messages name.
        var listeners: [UInt: FFmpegMessages] = [:]
    }

    private static let state = Mutex(State())

    /// Keeps FFmpeg quiet, or lets its warnings and errors through (for `--verbose`).
    /// FFmpeg's log is process-wide, so this is one setting for every input.
    public static func configure(verbose: Bool) {
        state.withLock { $0.verbose = verbose }
        install()
    }

    /// Routes FFmpeg's log through posepipe; the first call does it, later ones return at once.
    static func install() {
        let first = state.withLock { state -> Bool in
            defer { state.installed = true }
            return !state.installed
        }
        guard first else { return }
        // Some of FFmpeg's work (hex dumps, statistics) is skipped below this level.
        av_log_set_level(AV_LOG_WARNING)
        // A closure literal, not a stored one: Swift can spell a C function taking a va_list only
        // where the C signature gives the type.
        av_log_set_callback { context, level, format, arguments in
            guard let format, let arguments else { return }
            FFmpegLog.receive(context: context, level: level, format: format, arguments: arguments)
        }
    }

    /// Sends messages about `context` (an `AVFormatContext` or `AVCodecContext`) to `messages`
    /// until `stopListening(to:)`.
    static func listen(to context: UnsafeMutableRawPointer, with messages: FFmpegMessages) {
        install()
        state.withLock { $0.listeners[UInt(bitPattern: context)] = messages }
    }

    static func stopListening(to context: UnsafeMutableRawPointer) {
        _ = state.withLock { $0.listeners.removeValue(forKey: UInt(bitPattern: context)) }
    }

    private static func receive(context: UnsafeMutableRawPointer?, level: Int32, format: UnsafePointer<CChar>, arguments: CVaListPointer) {
        guard level <= AV_LOG_WARNING else { return }
        var buffer = [CChar](repeating: 0, count: 1024)
        var printPrefix: Int32 = 1
        av_log_format_line2(context, level, format, arguments, &buffer, Int32(buffer.count), &printPrefix)
        let line = String(nulTerminated: buffer).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !line.isEmpty else { return }
        let (verbose, listener) = state.withLock { state in
            (state.verbose, context.flatMap { state.listeners[UInt(bitPattern: $0)] })
        }
        listener?.append(level: level, text: withoutContextPrefix(line))
        if verbose {
            let bytes = Array((TerminalText.escaped(line) + "\n").utf8)
            _ = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
    }

    /// "[mov,mp4,m4a @ 0x55…] moov atom not found" → "moov atom not found": the address means
    /// nothing to a user, and posepipe names the input itself.
    static func withoutContextPrefix(_ line: String) -> String {
        var rest = Substring(line)
        while rest.hasPrefix("["), let close = rest.range(of: "] ") {
            rest = rest[close.upperBound...]
        }
        return String(rest)
    }
}
