import Foundation

/// Writes a track file as OpenPose's JSON output, one file per frame, in the layout Pose2Sim's
/// own pose estimation writes and its later stages read (pose2sim 0.10.49):
///
///     OUT/cam01_json/cam01_000000.json   {"version":1.3,"people":[{"person_id":[id],"pose_keypoints_2d":[x,y,c,…],…}]}
///     OUT/cam01_keypoints.toml           [pose] pose_model = 'BLAZEPOSE' (Pose2Sim's name for the keypoint set)
///
/// `OUT` plays the part of a Pose2Sim trial's `pose/` folder. Frame numbers count from 0 and are
/// the last number in each name, as Pose2Sim matches frames across cameras; every frame gets a
/// file, an empty `people` list when nobody is seen. People are in id order, keypoints in the
/// track file's order (BlazePose-33, COCO-17, HALPE-26 and COCO-WholeBody-133 match Pose2Sim's
/// `BLAZEPOSE`, `COCO_17`, `HALPE_26` and `COCO_133` ids);
/// coordinates are shifted to OpenPose's pixel-index convention; a keypoint with no position
/// is 0,0,0, OpenPose's "not found".
public struct OpenPoseExporter {
    public init() {}

    /// Writes `OUT/STEM_json/` and `OUT/STEM_keypoints.toml` together: both are checked before
    /// anything is written, filled under temporary names, and put in place together (the folder
    /// is taken back when the sidecar cannot follow it), so a failed export changes nothing.
    public func export(_ reader: any TrackSource, to folder: String) throws -> ExportSummary {
        let stem = ExportNaming.stem(ofTrackFile: reader.path)
        let framesPath = folder + "/" + stem + "_json"
        let created = FileSystem.linkStatus(folder) == nil
        do {
            try BatchLayout.makeFolder(folder)
            try Self.refuseHoldingInput(reader.path, in: framesPath)
            let sidecar = try AtomicFile(path: folder + "/" + stem + "_keypoints.toml")
            let frames = try AtomicFolder(path: framesPath, isOwnFile: { Self.isFrameFile($0, stem: stem) })
            let summary = try write(reader, into: frames, stem: stem)
            try sidecar.write(Self.sidecar(for: reader, stem: stem))
            try frames.swapIn()
            do {
                try sidecar.commit()
            } catch {
                frames.rollBack()
                throw error
            }
            frames.finish()
            return summary
        } catch {
            // An output folder this export made stays only when something was written into it.
            if created { _ = FileName.withCString(folder) { rmdir($0) } }
            throw error
        }
    }

    private func write(_ reader: any TrackSource, into frames: AtomicFolder, stem: String) throws -> ExportSummary {
        var summary = ExportSummary(output: frames.path)
        while let frame = try reader.next() {
            let people = frame.persons.sorted { $0.id < $1.id }.map(Self.person)
            let name = stem + "_" + Self.padded(frame.index) + ".json"
            try frames.write(JSONText.object([("version", "1.3"), ("people", JSONText.array(people))]) + "\n", to: name)
            summary.frames += 1
            summary.records += people.count
        }
        summary.warnings = reader.warnings
        return summary
    }

    /// Whether `name` is one of the frame files an export of `stem` writes (`stem_000012.json`).
    static func isFrameFile(_ name: String, stem: String) -> Bool {
        let prefix = stem + "_", suffix = ".json"
        guard name.hasPrefix(prefix), name.hasSuffix(suffix), name.count > prefix.count + suffix.count else { return false }
        return name.dropFirst(prefix.count).dropLast(suffix.count).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// Refuses (64) to replace a folder that holds the track file being exported.
    static func refuseHoldingInput(_ input: String, in folder: String) throws {
        guard FileSystem.status(folder)?.isDirectory == true, let names = FileSystem.names(in: folder) else { return }
        if InputGuard.isAmong(input, names.map { folder + "/" + $0 }) {
            throw PosePipeError.badUsage("the export would replace \(folder), which holds the track file being exported (\(input)); posepipe does not overwrite its input")
        }
    }

    /// Six digits as Pose2Sim writes them, more past a million frames.
    static func padded(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    static func person(_ p: TrackFrame.Person) -> String {
        var flat: [String] = []
        flat.reserveCapacity(p.keypoints.count * 3)
        for k in p.keypoints {
            if k.x.isFinite && k.y.isFinite {
                flat += [JSONText.number(k.x + ExportFormat.pixelIndexShift, decimals: 2),
                         JSONText.number(k.y + ExportFormat.pixelIndexShift, decimals: 2),
                         JSONText.number(k.score.isFinite ? k.score : 0, decimals: 3)]
            } else {
                flat += ["0", "0", "0"]
            }
        }
        let empty = "[]"
        return JSONText.object([
            ("person_id", "[\(p.id)]"), ("pose_keypoints_2d", JSONText.array(flat)),
            ("face_keypoints_2d", empty), ("hand_left_keypoints_2d", empty), ("hand_right_keypoints_2d", empty),
            ("pose_keypoints_3d", empty), ("face_keypoints_3d", empty), ("hand_left_keypoints_3d", empty),
            ("hand_right_keypoints_3d", empty),
        ])
    }

    /// Says which keypoint set the files hold, in Pose2Sim's terms where it has them.
    static func sidecar(for reader: any TrackSource, stem: String) -> String {
        let header = reader.header
        let set = KeypointSetNames.shippedSet(named: header.keypoints)
        var lines = ["# posepipe export of \(reader.path) (pipeline \(header.pipeline)): OpenPose JSON in \(stem)_json/"]
        if let model = set.flatMap(KeypointSetNames.pose2simModel) {
            lines += ["# For Pose2Sim, set this in the [pose] section of Config.toml.", "[pose]", "pose_model = '\(model)'"]
        } else {
            lines += ["# Pose2Sim has no skeleton with these keypoints in this order: describe them as a CUSTOM pose_model."]
        }
        lines += ["", "[posepipe]",
                  "keypoint_set = \(tomlString(set?.name ?? "custom"))",
                  "keypoints = [" + header.keypoints.map(tomlString).joined(separator: ", ") + "]",
                  "source = \(tomlString(header.source))",
                  "width = \(header.width)", "height = \(header.height)",
                  "fps = \(JSONText.number(header.fps, decimals: 3))",
                  "coordinates = 'pixel indices: (0, 0) is the centre of the top-left pixel'"]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A TOML basic string; its escapes are JSON's.
    static func tomlString(_ s: String) -> String { JSONText.string(s) }
}
