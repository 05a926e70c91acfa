import CONNXRuntime
import Foundation

/// The process's ONNX Runtime, loaded once from the library Scripts/setup.sh fetched.
public enum ONNXRuntime {
    /// Environment variable naming the shared library, for installs outside the checkout.
    public static let libraryVariable = "POSEPIPE_ONNXRUNTIME"

    /// Loads the runtime if needed; cheap after the first call.
    public static func load() throws {
        let candidates = libraryCandidates()
        var lastError = "not found (run Scripts/setup.sh, or set \(libraryVariable))"
        for path in candidates {
            var message = [CChar](repeating: 0, count: 512)
            if pp_ort_init(path, &message, message.count) == 0 { return }
            lastError = String(nulTerminatedMessage: message)
            if path.hasPrefix("/") { break }
        }
        throw PosePipeError.runtimeUnavailable(lastError)
    }

    private static func libraryCandidates() -> [String] {
        if let explicit = ProcessInfo.processInfo.environment[libraryVariable], !explicit.isEmpty {
            return [explicit]
        }
        let relative = ".deps/onnxruntime/lib/libonnxruntime.so.1"
        let found = ResourceLocator.ancestors().map { $0.appendingPathComponent(relative).path }
            .filter { FileManager.default.fileExists(atPath: $0) }
        // Last resort: a system-wide install the dynamic loader knows.
        return found + ["libonnxruntime.so.1"]
    }
}
