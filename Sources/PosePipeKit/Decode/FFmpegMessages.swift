import CFFmpeg
import Synchronization

/// FFmpeg's recent warnings and errors about one input, for error lines that say what went wrong.
final class FFmpegMessages: Sendable {
    struct Entry: Sendable, Equatable {
        /// Position among every message this input received, from 1.
        var serial: Int
        var level: Int32
        var text: String
    }

    /// Enough to explain a failure, bounded so a damaged stream's thousand complaints cost nothing.
    private static let kept = 16
    private let entries = Mutex<(count: Int, recent: [Entry])>((0, []))

    func append(level: Int32, text: String) {
        entries.withLock { state in
            state.count += 1
            state.recent.append(Entry(serial: state.count, level: level, text: text))
            if state.recent.count > Self.kept { state.recent.removeFirst() }
        }
    }

    /// How many messages arrived so far: a mark for `lastError(after:)`.
    var count: Int { entries.withLock { $0.count } }

    /// The newest error-level message that arrived after `mark`.
    func lastError(after mark: Int = 0) -> String? {
        lastMessage(after: mark, atMost: AV_LOG_ERROR)
    }

    /// The newest message at `level` or more severe (FFmpeg's levels fall as severity rises)
    /// that arrived after `mark`.
    func lastMessage(after mark: Int, atMost level: Int32) -> String? {
        entries.withLock { state in
            state.recent.last { $0.serial > mark && $0.level <= level }?.text
        }
    }
}
