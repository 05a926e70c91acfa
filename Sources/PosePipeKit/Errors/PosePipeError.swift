import Foundation

/// Every failure a user can cause or meet, with the one line and the exit code the CLI reports.
///
/// Exit codes follow BSD `sysexits.h`, so scripts can tell "fix your input" from "fix the install".
public enum PosePipeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input path does not exist.
    case inputNotFound(path: String)
    /// The input exists but cannot be read (permissions, a directory where a file was expected…).
    case inputUnreadable(path: String, reason: String)
    /// FFmpeg cannot read the input as media, or it holds no video stream.
    case notAVideo(path: String, reason: String)
    /// The output cannot be created or written.
    case outputUnwritable(path: String, reason: String)
    /// The reader of standard output (or of a pipe) stopped reading, as `| head` does: for a
    /// pipeline that is a normal end, so the command line stops quietly and exits 0.
    case outputClosed(path: String)
    /// A pipeline description is missing or malformed.
    case invalidPipeline(String)
    /// ONNX Runtime or a model file cannot be loaded.
    case runtimeUnavailable(String)
    /// A model failed while running.
    case inferenceFailed(String)
    /// A frame number or similar request lies outside what the input holds.
    case outOfRange(String)
    /// Options that do not fit together, found only once the inputs are looked at
    /// (the argument parser reports the rest).
    case badUsage(String)
    /// A folder given as input holds no video to process.
    case noVideos(folder: String, reason: String)
    /// A stop signal arrived while the input was being opened.
    case interrupted
    /// A live source sent nothing for `--timeout` seconds.
    case sourceStalled(path: String, seconds: Double)
    /// A track file that cannot be read as one, or that does not belong to the video it is drawn on.
    case badTracks(path: String, reason: String)

    public var description: String {
        switch self {
        case .inputNotFound(let path): "no such file or directory: \(path)"
        case .inputUnreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .notAVideo(let path, let reason): "not a readable video: \(path): \(reason)"
        case .outputUnwritable(let path, let reason): "cannot write \(path): \(reason)"
        case .outputClosed(let path): "the reader of \(path == "-" ? "standard output" : path) stopped reading"
        case .invalidPipeline(let message): "invalid pipeline: \(message)"
        case .runtimeUnavailable(let message): "cannot load the model runtime: \(message)"
        case .inferenceFailed(let message): "inference failed: \(message)"
        case .outOfRange(let message): message
        case .badUsage(let message): message
        case .noVideos(let folder, let reason): "no videos in \(folder): \(reason)"
        case .interrupted: "interrupted"
        case .sourceStalled(let path, let seconds): "nothing received from \(path) for \(JSONText.number(seconds, decimals: 3)) s (--timeout)"
        case .badTracks(let path, let reason): "track file \(path): \(reason)"
        }
    }

    /// The process exit code documented in the README.
    public var exitCode: Int32 {
        switch self {
        case .inputNotFound, .inputUnreadable: 66  // EX_NOINPUT
        case .notAVideo, .badTracks: 65  // EX_DATAERR
        case .outputUnwritable: 73  // EX_CANTCREAT
        case .outputClosed: ExitStatus.success
        case .invalidPipeline: 78  // EX_CONFIG
        case .runtimeUnavailable: 69  // EX_UNAVAILABLE
        case .inferenceFailed: 70  // EX_SOFTWARE
        case .outOfRange, .badUsage: 64  // EX_USAGE
        case .noVideos: 66  // EX_NOINPUT
        case .sourceStalled: 74  // EX_IOERR
        case .interrupted: ExitStatus.interrupted(signal: SIGINT)
        }
    }
}
