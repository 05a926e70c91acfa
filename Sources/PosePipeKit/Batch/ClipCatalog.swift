import Foundation

/// The clips under a folder, found by asking FFmpeg about every file (`MediaProbe`).
///
/// Hidden files and folders (a name starting with `.`, like the outputs' `.partial` files) and track
/// files beside their clip (`b.mp4.jsonl` next to `b.mp4`) are not looked at; symbolic links to
/// files are followed, to folders not (no cycles). A file FFmpeg does not read as video is a clip
/// all the same when its extension says video (`.mp4`, `.mkv`…): a damaged clip must show up as a
/// failure, not vanish among skipped files.
public struct ClipCatalog: Sendable, Equatable {
    /// Paths relative to the folder, in byte order (as `LC_ALL=C sort` sorts them).
    public var clips: [String]
    /// Files that are not video, in the same order.
    public var skipped: [SkippedFile]

    /// Extensions of video containers: a file with one is a clip even when FFmpeg cannot open it.
    public static let videoExtensions: Set<String> = [
        "3g2", "3gp", "asf", "avi", "dv", "f4v", "flv", "h264", "h265", "hevc", "m2t", "m2ts", "m2v", "m4v", "mj2",
        "mkv", "mov", "mp4", "mpeg", "mpg", "mts", "mxf", "nut", "ogv", "qt", "rm", "rmvb", "ts", "vob", "webm", "wmv", "y4m",
    ]

    public init(clips: [String], skipped: [SkippedFile]) {
        self.clips = clips
        self.skipped = skipped
    }

    /// Walks `folder`.
    /// - Parameters:
    ///   - excluding: a folder inside `folder` not to walk (the outputs, when they live inside the inputs).
    ///   - known: clips known without probing (those with a finished output), so a resumed batch
    ///     does not open every finished clip again.
    public static func scan(folder: String, excluding: String? = nil, known: (String) -> Bool = { _ in false }) -> ClipCatalog {
        let excluded = excluding.flatMap(FileSystem.status)
        var catalog = ClipCatalog(clips: [], skipped: [])
        var pending = [""]
        while let relativeFolder = pending.popLast() {
            let absolute = relativeFolder.isEmpty ? folder : folder + "/" + relativeFolder
            if let excluded, !relativeFolder.isEmpty, FileSystem.status(absolute)?.isSameFile(as: excluded) == true { continue }
            // Listed by the bytes of each name, so names that are not UTF-8 are clips like any other.
            guard let names = FileSystem.names(in: absolute) else {
                catalog.skipped.append(SkippedFile(path: relativeFolder, reason: "cannot list the folder"))
                continue
            }
            let present = Set(names)
            for name in names where !name.hasPrefix(".") && !isOutput(name, among: present) {
                let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
                let path = folder + "/" + relative
                guard let link = FileSystem.linkStatus(path) else { continue }
                if link.isDirectory {
                    pending.append(relative)
                    continue
                }
                guard let target = FileSystem.status(path), target.isRegularFile else {
                    catalog.skipped.append(SkippedFile(path: relative, reason: "not a regular file"))
                    continue
                }
                if known(relative) {
                    catalog.clips.append(relative)
                    continue
                }
                switch MediaProbe.probe(path) {
                case .video:
                    catalog.clips.append(relative)
                case .notVideo(let reason), .unreadable(let reason):
                    if hasVideoExtension(name) {
                        catalog.clips.append(relative)
                    } else {
                        catalog.skipped.append(SkippedFile(path: relative, reason: reason))
                    }
                }
            }
        }
        catalog.clips.sort(by: Self.byteOrder)
        catalog.skipped.sort { byteOrder($0.path, $1.path) }
        return catalog
    }

    /// `b.mp4.jsonl` beside `b.mp4`: a track file, when the outputs are written into the input folder.
    static func isOutput(_ name: String, among names: Set<String>) -> Bool {
        name.hasSuffix(BatchLayout.outputSuffix) && names.contains(String(name.dropLast(BatchLayout.outputSuffix.count)))
    }

    static func hasVideoExtension(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return false }
        return videoExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// Byte order of the names as the file system spells them: the same on every machine and
    /// locale, which sharding needs.
    static func byteOrder(_ a: String, _ b: String) -> Bool {
        FileName.bytes(of: a).lexicographicallyPrecedes(FileName.bytes(of: b))
    }
}
