import CONNXRuntime
import Foundation

/// The process's ONNX Runtime, loaded once: the library shipped beside the executable
/// (`ResourceLocator`), or `$POSEPIPE_ONNXRUNTIME`.
public enum ONNXRuntime {
    /// Environment variable naming the shared library, which then is the only one tried.
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

    /// The version of the loaded runtime (`1.31.1`) and the file it was loaded from; loads it first.
    public static func loadedVersion() throws -> (version: String, library: String) {
        try load()
        return (String(cString: pp_ort_version()), String(cString: pp_ort_library_path()))
    }

    static func libraryCandidates(locator: ResourceLocator = ResourceLocator(),
                                  environment: [String: String] = ProcessInfo.processInfo.environment) -> [String] {
        if let explicit = environment[libraryVariable], !explicit.isEmpty {
            return [explicit]
        }
        var candidates: [String] = []
        if let shipped = locator.onnxRuntimeLibrary?.path, FileManager.default.fileExists(atPath: shipped) {
            candidates.append(shipped)
        }
        // Last resort: a system-wide install the dynamic loader knows.
        return candidates + ["libonnxruntime.so.1"]
    }
}
