import Foundation

/// Finds the checkout's fetched and shipped files (`.deps/`, `Pipelines/`) from wherever the
/// binary runs: `swift run`, `.build/release/posepipe`, or a test bundle inside `.build/`.
enum ResourceLocator {
    /// The folders from the executable's and the working directory's up to the root.
    static func ancestors() -> [URL] {
        var starts = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            starts.insert(executable.deletingLastPathComponent(), at: 0)
        }
        let here = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        starts.append(here)
        var seen = Set<String>()
        var result: [URL] = []
        for start in starts {
            var folder = start.standardizedFileURL
            while true {
                if seen.insert(folder.path).inserted { result.append(folder) }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        return result
    }
}
