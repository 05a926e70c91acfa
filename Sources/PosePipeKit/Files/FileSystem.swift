import Foundation

/// The system calls posepipe makes on paths, taking names with escaped bytes (`FileName`).
public enum FileSystem {
    /// `stat(2)` following symbolic links; nil when it fails (errno says why).
    public static func status(_ path: String) -> stat? {
        var result = stat()
        return FileName.withCString(path) { stat($0, &result) } == 0 ? result : nil
    }

    /// `lstat(2)`: the entry itself, a symbolic link not followed; nil when it fails.
    public static func linkStatus(_ path: String) -> stat? {
        var result = stat()
        return FileName.withCString(path) { lstat($0, &result) } == 0 ? result : nil
    }

    /// The names in `folder` (without `.` and `..`), or nil with errno set when it cannot be listed.
    public static func names(in folder: String) -> [String]? {
        guard let directory = FileName.withCString(folder, { opendir($0) }) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while true {
            errno = 0
            guard let entry = readdir(directory) else {
                if errno != 0 { return nil }
                break
            }
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix { $0 != 0 })
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            names.append(FileName.string(fromBytes: bytes))
        }
        return names
    }

    /// The system's text for the current `errno`.
    public static var lastError: String { String(cString: strerror(errno)) }
}

extension stat {
    public var isRegularFile: Bool { st_mode & S_IFMT == S_IFREG }
    public var isDirectory: Bool { st_mode & S_IFMT == S_IFDIR }

    /// Whether both name the same file (device and inode).
    func isSameFile(as other: stat) -> Bool {
        st_dev == other.st_dev && st_ino == other.st_ino
    }
}
