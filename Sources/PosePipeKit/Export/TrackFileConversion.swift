import Foundation

/// `posepipe export`: one track file, or every track file under a folder, into another format.
public struct TrackFileConversion {
    public var format: ExportFormat
    /// With CSV: compute Sports2D's angles for files that carry none.
    public var angles: Bool

    /// Polled while a track file is read: a stop request (Ctrl-C) ends the export, nothing written.
    public var shouldStop: @Sendable () -> Bool

    public init(format: ExportFormat, angles: Bool = false, shouldStop: @escaping @Sendable () -> Bool = { false }) {
        self.format = format
        self.angles = angles
        self.shouldStop = shouldStop
    }

    /// Exports `input` to `output`: for OpenPose a folder (Pose2Sim's `pose/`), otherwise a file,
    /// or a file inside `output` named after the input when `output` is an existing folder.
    public func export(_ input: String, to output: String) throws -> ExportSummary {
        var target = output
        var isFolder: ObjCBool = false
        if format != .openpose, FileManager.default.fileExists(atPath: output, isDirectory: &isFolder), isFolder.boolValue {
            target = ExportNaming.output(of: input, in: output, format: format)
        }
        try OutputGuard.refuseOverwriting([input], with: target)
        let reader = try TrackFileReader(path: input, shouldStop: shouldStop)
        switch format {
        case .openpose:
            return try OpenPoseExporter().export(reader, to: target)
        case .coco:
            return try COCOExporter().export(reader, to: target)
        case .csv:
            let calculator = angles && reader.header.angles == nil ? JointAngles(keypointNames: reader.header.keypoints) : nil
            return try CSVExporter(angles: calculator).export(reader, to: target)
        }
    }

    /// Every `*.jsonl` under `folder` (hidden files and folders left out), relative, sorted.
    public static func trackFiles(under folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") {
                walker.skipDescendants()
                continue
            }
            if name.hasSuffix(".jsonl") { found.append(relative) }
        }
        return found.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Where `relative` (a track file under the input folder) goes under `folder`: the same
    /// subfolders; for COCO and CSV the track file's name with `.jsonl` replaced.
    public func output(of relative: String, in folder: String) -> String {
        let base = folder.hasSuffix("/") ? folder : folder + "/"
        let subfolder = (relative as NSString).deletingLastPathComponent
        let inner = subfolder.isEmpty ? base : base + subfolder + "/"
        let name = (relative as NSString).lastPathComponent
        let kept = name.hasSuffix(".jsonl") ? String(name.dropLast(".jsonl".count)) : name
        switch format {
        case .openpose: return String(inner.dropLast())
        case .coco: return inner + kept + ".json"
        case .csv: return inner + kept + ".csv"
        }
    }
}
