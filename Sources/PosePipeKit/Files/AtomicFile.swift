import Foundation

/// A text file written under a new temporary name beside its final one (`StreamedOutput`, by the
/// rule every output follows: a file of its own, never one a link points to) and renamed into
/// place only when complete, after `fsync`, so a file with the final name is always whole.
/// `abandon`, or dropping it without `commit`, removes the temporary file.
public final class AtomicFile {
    public let path: String
    private var output: StreamedOutput?
    /// Text not yet handed to the kernel: one write per 64 KB, not one per line.
    private var pending: [UInt8] = []
    private static let flushSize = 1 << 16

    /// Creates the temporary file beside `path`; its folder must exist.
    public init(path: String) throws {
        self.path = path
        output = try StreamedOutput(path: path, streams: false)
    }

    /// The temporary file's name until `commit`.
    public var temporaryPath: String? { output?.temporaryPath }

    deinit { abandon() }

    /// Appends `text` as UTF-8.
    public func write(_ text: String) throws {
        guard output != nil else { throw PosePipeError.outputUnwritable(path: path, reason: "already closed") }
        pending.append(contentsOf: text.utf8)
        if pending.count >= Self.flushSize { try flush() }
    }

    private func flush() throws {
        guard let output else { return }
        let result = pending.withUnsafeBytes { output.write($0) }
        pending.removeAll(keepingCapacity: true)
        if let code = result.error { throw PosePipeError.outputUnwritable(path: path, reason: String(cString: strerror(code))) }
    }

    /// Flushes, syncs and renames the file to its final name, replacing a regular file there.
    public func commit() throws {
        guard let output else { return }
        defer { self.output = nil }
        do {
            try flush()
            try output.commit()
        } catch {
            try? output.close()
            throw error
        }
    }

    /// Closes and removes the temporary file; the final name is left as it was.
    public func abandon() {
        guard let output else { return }
        self.output = nil
        try? output.close()
    }
}
