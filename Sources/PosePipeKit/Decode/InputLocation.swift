import CFFmpeg
import Foundation

/// What an input string names, and how FFmpeg must be told: `-` is standard input, a path that
/// exists is a file (even one whose name looks like `name:…`), and `scheme://…` or anything
/// FFmpeg knows a protocol for (`concat:`, `pipe:`…) is a URL. RTSP is a demuxer, not a
/// protocol, in FFmpeg, so `://` alone must be enough.
enum InputLocation: Equatable {
    case standardInput
    case file(path: String)
    case url(String)

    init(_ source: String) {
        if source == "-" {
            self = .standardInput
        } else if FileSystem.status(source) != nil {
            self = .file(path: source)
        } else if source.hasPrefix("file:") {
            self = .file(path: String(source.dropFirst("file:".count)))
        } else if source.contains("://") {
            self = .url(source)
        } else if let scheme = avio_find_protocol_name(source).map({ String(cString: $0) }), scheme != "file" {
            self = .url(source)
        } else {
            self = .file(path: source)
        }
    }

    /// The string to hand `avformat_open_input`.
    var ffmpegURL: String {
        switch self {
        case .standardInput: "pipe:0"
        // "./" keeps FFmpeg from reading "a:b.mp4" as protocol "a"; absolute paths are safe as they are.
        case .file(let path): path.hasPrefix("/") ? path : "./" + path
        case .url(let url): url
        }
    }

    /// Calls `body` with `ffmpegURL` as FFmpeg must get it: a file's name as the kernel's bytes.
    func withFFmpegURL<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try FileName.withCString(ffmpegURL, body)
    }

    /// The local file this names, if any, for checks FFmpeg's errors would make vague.
    var localPath: String? {
        if case .file(let path) = self { return path }
        return nil
    }
}
