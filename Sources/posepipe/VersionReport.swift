import CPosePipeBuild
import Foundation
import PosePipeKit

/// `posepipe --version`: this binary's version and revision and the versions of the FFmpeg and
/// ONNX Runtime it runs with, for bug reports and for checking an install.
enum VersionReport {
    /// posepipe's own version; the Debian package's version starts with it.
    static let version = "0.1.0"

    static var revision: String {
        let compiled = String(cString: pp_build_revision())
        return compiled.isEmpty ? "unknown" : compiled
    }

    /// Prints the report; a runtime that does not load is one line on stderr and exit 69 after
    /// the lines that could be printed, so an install check fails where the install is broken.
    static func run() -> Never {
        print("posepipe \(version) (revision \(revision))")
        print("FFmpeg \(FFmpegVersion.description)")
        do {
            let runtime = try ONNXRuntime.loadedVersion()
            print("ONNX Runtime \(runtime.version) (\(runtime.library))")
            exit(0)
        } catch let error as PosePipeError {
            StandardError.line("posepipe: \(error.description)")
            exit(error.exitCode)
        } catch {
            StandardError.line("posepipe: \(error)")
            exit(69)
        }
    }
}
