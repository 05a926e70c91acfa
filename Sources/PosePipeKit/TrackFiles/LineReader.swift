import Foundation

/// Reads a text file one line at a time with a fixed buffer, so a track file of any length is
/// read in flat memory.
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// Lines returned so far (the number of the last one, from 1).
    private(set) var lineNumber = 0
    /// Whether the last line returned had no newline after it (a file cut mid-write).
    private(set) var lastLineUnterminated = false

    /// Opens `path` for reading; nil with `errno` set when it cannot be opened.
    init?(path: String) {
        guard let opened = fopen(path, "r") else { return nil }
        file = opened
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// The next line without its newline, or nil at the end of the file.
    func next() -> String? {
        let length = getline(&buffer, &capacity, file)
        guard length >= 0, let buffer else { return nil }
        lineNumber += 1
        var count = length
        lastLineUnterminated = count == 0 || buffer[count - 1] != 10
        if !lastLineUnterminated { count -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) {
            String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self)
        }
    }
}
