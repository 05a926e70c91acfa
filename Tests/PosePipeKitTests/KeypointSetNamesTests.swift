import Foundation
import Testing
@testable import PosePipeKit

/// Pose2Sim's `pose_model` names a skeleton whose node ids index the keypoint order; an OpenPose
/// export names one only when the track file's order is exactly that skeleton's.
@Suite struct KeypointSetNamesTests {
    /// Node ids of Pose2Sim's skeletons (pose2sim's skeletons.py), keyed by the shipped set's names.
    static let pose2simIDs: [String: [String: Int]] = [
        "HALPE_26": ["nose": 0, "left_shoulder": 5, "right_wrist": 10, "head": 17, "neck": 18, "hip": 19,
                     "left_big_toe": 20, "right_big_toe": 21, "left_small_toe": 22, "right_heel": 25],
        "COCO_133": ["left_hip": 11, "right_ankle": 16, "left_big_toe": 17, "left_heel": 19, "right_big_toe": 20,
                     "right_heel": 22, "left_thumb1": 92, "left_pinky_finger4": 111, "right_thumb1": 113,
                     "right_pinky_finger4": 132],
    ]

    @Test(arguments: [("blazepose-33", "BLAZEPOSE"), ("coco-17", "COCO_17"), ("halpe-26", "HALPE_26"),
                      ("coco-wholebody-133", "COCO_133")])
    func eachSetPose2SimKnowsIsNamedAsPose2SimNamesIt(set: String, model: String) throws {
        let keypoints = try PipelineLoader().keypointSet(named: set).keypoints
        let found = try #require(KeypointSetNames.shippedSet(named: keypoints), "\(set) recognised by its names")
        #expect(found.name == set)
        #expect(KeypointSetNames.pose2simModel(for: found) == model)
        for (name, id) in Self.pose2simIDs[model] ?? [:] {
            #expect(keypoints.firstIndex(of: name) == id, "\(model)'s \(name) is node \(id)")
        }

        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("cam01.jsonl")
        try SampleTracks.write(to: tracks, names: keypoints)
        let outcome = try CLI.run(["export", tracks.path, "--format", "openpose", "-o", folder.path + "/pose"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let sidecar = try String(contentsOfFile: folder.path + "/pose/cam01_keypoints.toml", encoding: .utf8)
        #expect(sidecar.contains("[pose]\npose_model = '\(model)'\n"))
        #expect(sidecar.contains("keypoint_set = \"\(set)\"\n"))
    }

    /// MPII's 16 in MMPose's order are not OpenPose's MPII (15, the neck second), nor is a set
    /// in another order: no Pose2Sim name, a CUSTOM note instead.
    @Test func aSetPose2SimHasNotInThisOrderIsCustom() throws {
        let mpii = try PipelineLoader().keypointSet(named: "mpii-16")
        #expect(KeypointSetNames.shippedSet(named: mpii.keypoints)?.name == "mpii-16")
        #expect(KeypointSetNames.pose2simModel(for: mpii) == nil)
        var halpe = try PipelineLoader().keypointSet(named: "halpe-26").keypoints
        halpe.swapAt(17, 19)
        #expect(KeypointSetNames.shippedSet(named: halpe) == nil)

        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("cam01.jsonl")
        try SampleTracks.write(to: tracks, names: halpe)
        #expect(try CLI.run(["export", tracks.path, "--format", "openpose", "-o", folder.path + "/pose"]).status == 0)
        let sidecar = try String(contentsOfFile: folder.path + "/pose/cam01_keypoints.toml", encoding: .utf8)
        #expect(!sidecar.contains("pose_model ="))
        #expect(sidecar.contains("describe them as a CUSTOM pose_model"))
        #expect(sidecar.contains("keypoint_set = \"custom\"\n"))
    }
}
