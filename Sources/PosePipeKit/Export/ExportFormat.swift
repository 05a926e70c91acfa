/// The formats `posepipe export` writes.
public enum ExportFormat: String, Sendable, CaseIterable {
    /// OpenPose's per-frame JSON files in Pose2Sim's layout.
    case openpose
    /// One COCO keypoint results JSON file.
    case coco
    /// One CSV table, a row per person per frame.
    case csv

    /// OpenPose and COCO count pixels by index (integer coordinates at pixel centres, OpenCV's
    /// convention), posepipe from the top-left corner (centres at +0.5): their exports shift by this.
    static let pixelIndexShift = -0.5
}

/// What one export wrote.
public struct ExportSummary: Sendable, Equatable {
    /// The file or folder written.
    public var output: String
    public var frames = 0
    /// Person records written (rows, results or people entries).
    public var records = 0
    public var warnings: [String] = []
}

/// Where a track file's export goes and how its name is derived.
public enum ExportNaming {
    /// `cam01.mp4.jsonl` → `cam01`: the video's name without extensions, as Pose2Sim names a
    /// camera's pose folder and files.
    public static func stem(ofTrackFile path: String) -> String {
        var name = String(path.split(separator: "/").last ?? Substring(path))
        if name.hasSuffix(".jsonl") { name.removeLast(".jsonl".count) }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name
    }

    /// The output of `trackFile` exported into `folder` in `format`: a file for COCO and CSV,
    /// the Pose2Sim pose folder itself for OpenPose.
    public static func output(of trackFile: String, in folder: String, format: ExportFormat) -> String {
        let joined = folder.hasSuffix("/") ? folder : folder + "/"
        switch format {
        case .openpose: return String(joined.dropLast())
        case .coco: return joined + stem(ofTrackFile: trackFile) + ".json"
        case .csv: return joined + stem(ofTrackFile: trackFile) + ".csv"
        }
    }
}
