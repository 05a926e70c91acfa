import Foundation

/// Messages for the person at the terminal: one line each, on stderr.
enum StandardError {
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Rewrites the current terminal line (for progress), without a newline.
    static func status(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
    }

    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }
}
