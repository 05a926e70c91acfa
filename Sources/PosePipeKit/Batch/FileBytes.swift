import Foundation

/// Reading files by their kernel names (`FileName`), never through a link, for `posepipe status`.
enum FileBytes {
    /// The whole file, or nil when it cannot be opened as a regular file.
    static func read(_ path: String) -> Data? {
        var data = Data()
        let complete = forEachChunk(path) { data.append(contentsOf: $0) }
        return complete ? data : nil
    }

    /// Complete lines (each ended by a newline: a line cut by a kill is not counted), or nil.
    static func completeLines(_ path: String) -> Int? {
        var lines = 0
        let complete = forEachChunk(path) { chunk in lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        return complete ? lines : nil
    }

    private static func forEachChunk(_ path: String, _ body: (UnsafeRawBufferPointer) -> Void) -> Bool {
        let descriptor = FileName.withCString(path) { open($0, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.isRegularFile else { return false }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 1)
        defer { buffer.deallocate() }
        while true {
            let count = Foundation.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { return false }
            if count == 0 { return true }
            body(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
        }
    }
}
