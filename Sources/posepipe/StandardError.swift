import Foundation
import PosePipeKit

/// Messages for the person at the terminal: one line each, on stderr.
enum StandardError {
    /// Writes `text` as one line. Control characters in it (a file name holding a newline or an
    /// escape sequence) are shown escaped, so a name can neither split the line nor drive the terminal.
    static func line(_ text: String) {
        FileHandle.standardError.write(Data((TerminalText.escaped(text) + "\n").utf8))
    }

    /// Rewrites the current terminal line (for progress), without a newline. Cut to the
    /// terminal's width: a wrapped line could no longer be rewritten in place.
    static func status(_ text: String) {
        let width = columns
        let safe = TerminalText.escaped(text)
        let shown = width > 1 && safe.count >= width ? String(safe.prefix(width - 2)) + "…" : safe
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + shown).utf8))
    }

    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// The terminal's width in characters (0 when unknown).
    private static var columns: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0 else { return 0 }
        return Int(size.ws_col)
    }
}
