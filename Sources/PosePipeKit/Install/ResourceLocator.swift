import Foundation

/// Finds posepipe's own files from where its executable is, never from the source tree it was
/// built from or the working directory:
/// - installed (`Scripts/package/install.sh`, the Debian package): `PREFIX/bin/posepipe` beside
///   `PREFIX/share/posepipe/Pipelines/` and `PREFIX/lib/posepipe/libonnxruntime.so.1`, wherever
///   PREFIX is and whatever it is renamed to;
/// - built in a checkout (`.build/release/posepipe`, a test bundle in `.build/`): the checkout's
///   `Pipelines/` and `.deps/onnxruntime/lib/`, in the first folder above the executable that
///   has them.
public struct ResourceLocator: Sendable {
    /// The running executable's folder, symbolic links resolved.
    public var executableFolder: URL?

    public init(executableFolder: URL? = ResourceLocator.runningExecutableFolder()) {
        self.executableFolder = executableFolder?.standardizedFileURL
    }

    public static func runningExecutableFolder() -> URL? {
        Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// PREFIX when the executable is `PREFIX/bin/posepipe` of an install (`PREFIX/share/posepipe/`
    /// exists); nil for a build in a checkout.
    public var installPrefix: URL? {
        guard let folder = executableFolder, folder.lastPathComponent == "bin" else { return nil }
        let prefix = folder.deletingLastPathComponent()
        return exists(prefix.appendingPathComponent("share/posepipe")) ? prefix : nil
    }

    /// The shipped pipeline descriptions' folder, if any.
    public var pipelines: URL? {
        if let prefix = installPrefix { return prefix.appendingPathComponent("share/posepipe/Pipelines") }
        return checkoutFile("Pipelines")
    }

    /// The ONNX Runtime library that ships with this executable, if any.
    public var onnxRuntimeLibrary: URL? {
        if let prefix = installPrefix { return prefix.appendingPathComponent("lib/posepipe/libonnxruntime.so.1") }
        return checkoutFile(".deps/onnxruntime/lib/libonnxruntime.so.1")
    }

    /// `relative` in the nearest folder above the executable that has it.
    private func checkoutFile(_ relative: String) -> URL? {
        guard var folder = executableFolder else { return nil }
        while true {
            let candidate = folder.appendingPathComponent(relative)
            if exists(candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    private func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }
}
