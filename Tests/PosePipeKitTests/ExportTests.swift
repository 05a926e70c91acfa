import Foundation
import Testing
@testable import PosePipeKit

/// A small track file with known numbers, written as a run writes it, for the exporters.
enum SampleTracks {
    /// BlazePose's keypoint names, from the shipped set.
    static var blazePose: [String] { get throws { try PipelineLoader().keypointSet(named: "blazepose-33").keypoints } }

    /// Keypoint `k` of person `id` in frame `f`: x = 100 + 10k + id, y = 50 + 5k + f; score 0.9
    /// for odd k, 0.3 for even k; person 2's keypoint 5 has no position (null).
    static func keypoint(_ k: Int, id: Int, frame f: Int) -> [Any] {
        if id == 2 && k == 5 { return [NSNull(), NSNull(), 0.1] }
        return [Double(100 + 10 * k + id), Double(50 + 5 * k + f), k % 2 == 1 ? 0.9 : 0.3]
    }

    /// Frames 0…3: nobody in frame 1, people 2 and 1 (in that order) in the others.
    static func write(to url: URL, names: [String], angles: Bool = false, width: Int = 640, height: Int = 360, ptsOffset: Double = 0) throws {
        var header: [String: Any] = ["schema": "posepipe.tracks", "version": 1, "source": "clips/cam01.mp4", "width": width,
                                     "height": height, "fps": 30, "duration": 0.133, "rotation": 0, "pipeline": "blazepose",
                                     "keypoints": names, "skeleton": [[0, 1]]]
        if angles { header["angles"] = ["right_knee", "trunk"] }
        var lines = [header]
        for f in 0..<4 {
            let ids = f == 1 ? [] : [2, 1]
            let persons: [[String: Any]] = ids.map { id in
                var person: [String: Any] = ["id": id, "score": id == 1 ? 0.95 : 0.8, "box": [1, 2, 3, 4],
                                             "keypoints": (0..<names.count).map { keypoint($0, id: id, frame: f) }]
                if angles { person["angles"] = ["right_knee": 12.5, "trunk": NSNull()] }
                return person
            }
            lines.append(["frame": f, "pts": Double(f) / 30 + ptsOffset, "persons": persons])
        }
        let text = try lines.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            .joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: url)
    }
}

/// CSV as RFC 4180 describes it, without quoted fields (the exporter writes none).
struct CSVTable {
    var columns: [String]
    var rows: [[String: String]]

    init(path: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("\n"))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        columns = lines.first ?? []
        rows = lines.dropFirst().map { cells in
            #expect(cells.count == lines[0].count, "every row has as many cells as the header")
            return Dictionary(uniqueKeysWithValues: zip(lines[0], cells))
        }
    }
}

@Suite struct ExportTests {
    func json(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func openPoseFilesFollowPose2SimsLayoutAndOpenPosesFields() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("cam01.mp4.jsonl")
        let names = try SampleTracks.blazePose
        try SampleTracks.write(to: tracks, names: names)
        let pose = folder.appendingPathComponent("Trial/pose").path
        let summary = try TrackFileConversion(format: .openpose).export(tracks.path, to: pose)
        #expect(summary.frames == 4 && summary.records == 6)

        // Pose2Sim: pose/<video stem>_json/<video stem>_<frame, 6 digits>.json, the frame the last number.
        let files = try FileManager.default.contentsOfDirectory(atPath: pose + "/cam01_json").sorted()
        #expect(files == (0..<4).map { String(format: "cam01_%06d.json", $0) })
        for f in 0..<4 {
            // OpenPose's output: {"version", "people": [{"person_id", "pose_keypoints_2d": [x0,y0,c0,x1,…], …}]}.
            let root = try #require(try json(pose + "/cam01_json/" + files[f]) as? [String: Any])
            #expect(root["version"] as? Double == 1.3)
            let people = try #require(root["people"] as? [[String: Any]])
            #expect(people.count == (f == 1 ? 0 : 2))
            for (n, person) in people.enumerated() {
                let id = n + 1  // id order
                #expect(person["person_id"] as? [Int] == [id])
                for field in ["face_keypoints_2d", "hand_left_keypoints_2d", "hand_right_keypoints_2d", "pose_keypoints_3d"] {
                    #expect((person[field] as? [Any])?.isEmpty == true)
                }
                let flat = try #require(person["pose_keypoints_2d"] as? [Double])
                #expect(flat.count == 33 * 3)
                for k in 0..<33 {
                    let expected = SampleTracks.keypoint(k, id: id, frame: f)
                    if let x = expected[0] as? Double, let y = expected[1] as? Double {
                        // Pixel indices: posepipe's corner-based coordinates minus half a pixel.
                        #expect(flat[3 * k] == x - 0.5 && flat[3 * k + 1] == y - 0.5)
                        #expect(flat[3 * k + 2] == expected[2] as? Double)
                    } else {
                        #expect(Array(flat[(3 * k)..<(3 * k + 3)]) == [0, 0, 0], "no position: OpenPose's 0,0,0")
                    }
                }
            }
        }
        let sidecar = try String(contentsOfFile: pose + "/cam01_keypoints.toml", encoding: .utf8)
        #expect(sidecar.contains("[pose]\npose_model = 'BLAZEPOSE'\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: pose).filter { $0.hasPrefix(".") }.isEmpty, "no temporary folder left")
    }

    @Test func cocoResultsHoldTheSeventeenCOCOKeypointsPickedByName() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("t.jsonl")
        let names = try SampleTracks.blazePose
        try SampleTracks.write(to: tracks, names: names)
        let out = folder.appendingPathComponent("results.json").path
        _ = try TrackFileConversion(format: .coco).export(tracks.path, to: out)
        // COCO's keypoint order, as its person category lists it.
        let coco = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
                    "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"]
        let results = try #require(try json(out) as? [[String: Any]])
        #expect(results.count == 6)
        #expect(results.map { $0["image_id"] as? Int } == [0, 0, 2, 2, 3, 3])
        #expect(results.map { $0["track_id"] as? Int } == [1, 2, 1, 2, 1, 2])
        for result in results {
            #expect(result["category_id"] as? Int == 1)
            let id = try #require(result["track_id"] as? Int), frame = try #require(result["image_id"] as? Int)
            #expect(result["score"] as? Double == (id == 1 ? 0.95 : 0.8))
            let flat = try #require(result["keypoints"] as? [Double])
            #expect(flat.count == 17 * 3)
            for (c, name) in coco.enumerated() {
                let k = try #require(names.firstIndex(of: name))
                let expected = SampleTracks.keypoint(k, id: id, frame: frame)
                if let x = expected[0] as? Double, let y = expected[1] as? Double {
                    #expect(flat[3 * c] == x - 0.5 && flat[3 * c + 1] == y - 0.5, "\(name)")
                    #expect(flat[3 * c + 2] == ((expected[2] as? Double ?? 0) >= 0.5 ? 2 : 1))
                } else {
                    #expect(Array(flat[(3 * c)..<(3 * c + 3)]) == [0, 0, 0])
                }
            }
        }
    }

    @Test func cocoNeedsTheCOCOKeypoints() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("t.jsonl")
        try SampleTracks.write(to: tracks, names: try PipelineLoader().keypointSet(named: "mpii-16").keypoints)
        #expect(throws: PosePipeError.self) { try TrackFileConversion(format: .coco).export(tracks.path, to: folder.path + "/r.json") }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/r.json"))
    }

    @Test func csvHasARowPerPersonPerFrameAndTheFilesAngles() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("t.jsonl")
        let names = try SampleTracks.blazePose
        try SampleTracks.write(to: tracks, names: names, angles: true)
        let out = folder.appendingPathComponent("t.csv").path
        _ = try TrackFileConversion(format: .csv).export(tracks.path, to: out)
        let table = try CSVTable(path: out)
        #expect(Array(table.columns.prefix(7)) == ["frame", "pts", "id", "score", "nose_x", "nose_y", "nose_score"])
        #expect(Array(table.columns.suffix(2)) == ["right_knee", "trunk"])
        #expect(table.columns.count == 4 + 33 * 3 + 2)
        #expect(table.rows.map { $0["frame"] } == ["0", "0", "2", "2", "3", "3"])
        #expect(table.rows.map { $0["id"] } == ["1", "2", "1", "2", "1", "2"])
        let row = table.rows[2]  // frame 2, person 1, in posepipe's own coordinates
        #expect(row["pts"] == "0.066667")
        #expect(row["left_shoulder_x"] == "211" && row["left_shoulder_y"] == "107" && row["left_shoulder_score"] == "0.9")
        #expect(row["right_knee"] == "12.5" && row["trunk"] == "")
        #expect(names[5] == "right_eye")
        #expect(table.rows[3]["right_eye_x"] == "" && table.rows[3]["right_eye_score"] == "0.1", "person 2's keypoint 5 has no position")
    }

    @Test func outputIsNeverTheInput() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("t.jsonl")
        try SampleTracks.write(to: tracks, names: try SampleTracks.blazePose)
        let before = try Data(contentsOf: tracks)
        let link = folder.appendingPathComponent("link.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: tracks)
        for output in [tracks.path, link.path] {
            #expect(throws: PosePipeError.self) { try TrackFileConversion(format: .csv).export(tracks.path, to: output) }
        }
        #expect(try Data(contentsOf: tracks) == before)
    }

    @Test func aFileCutMidLineIsReadToTheCutAndOtherDamageIsAnError() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("t.jsonl")
        try SampleTracks.write(to: tracks, names: try SampleTracks.blazePose)
        var data = try Data(contentsOf: tracks)
        data.removeLast(40)
        try data.write(to: tracks)
        let reader = try TrackFileReader(path: tracks.path)
        #expect(try reader.readAll().count == 3)
        #expect(reader.warnings == ["its last line (5) is incomplete and was left out"])

        try Data("{\"schema\":\"something.else\"}\n".utf8).write(to: tracks)
        #expect(throws: PosePipeError.badTracks(path: tracks.path, reason: "line 1 is not a posepipe.tracks header")) {
            try TrackFileReader(path: tracks.path)
        }
    }

    @Test func aLinkAtTheOutputIsNotWrittenThroughAndAnEarlierExportIsReplaced() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("cam01.mp4.jsonl")
        try SampleTracks.write(to: tracks, names: try SampleTracks.blazePose)
        let victim = folder.appendingPathComponent("victim.txt")
        try Data("keep\n".utf8).write(to: victim)
        let link = folder.appendingPathComponent("out.csv")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: victim)
        #expect(throws: PosePipeError.outputUnwritable(path: link.path, reason: "is a symbolic link; posepipe replaces only regular files")) {
            try TrackFileConversion(format: .csv).export(tracks.path, to: link.path)
        }
        #expect(try String(contentsOf: victim, encoding: .utf8) == "keep\n")

        let pose = folder.appendingPathComponent("pose").path
        _ = try TrackFileConversion(format: .openpose).export(tracks.path, to: pose)
        try Data("stale\n".utf8).write(to: URL(fileURLWithPath: pose + "/cam01_json/cam01_000099.json"))
        _ = try TrackFileConversion(format: .openpose).export(tracks.path, to: pose)
        #expect(try FileManager.default.contentsOfDirectory(atPath: pose + "/cam01_json").count == 4, "the earlier folder is replaced whole")
        #expect(try FileManager.default.contentsOfDirectory(atPath: pose).sorted() == ["cam01_json", "cam01_keypoints.toml"])
    }
}
