/// Recognises a track file's keypoint set from its keypoint names, to name it the way other
/// tools do (Pose2Sim's `pose_model`) and to pick the COCO keypoints out of a larger set.
public enum KeypointSetNames {
    /// The shipped keypoint set whose names are exactly `names`, in order.
    public static func shippedSet(named names: [String], loader: PipelineLoader = PipelineLoader()) -> KeypointSet? {
        for candidate in ["blazepose-33", "coco-17", "halpe-26", "coco-wholebody-133", "mpii-16"] {
            if let set = try? loader.keypointSet(named: candidate), set.keypoints == names { return set }
        }
        return nil
    }

    /// Pose2Sim's name (`[pose] pose_model` in its Config.toml, a skeleton of its skeletons.py) for
    /// a shipped keypoint set, when Pose2Sim knows that set with the same keypoint order: its skeleton
    /// ids are indices into the set's order (HALPE_26's Hip is 19, COCO_133's LBigToe 17), so a name
    /// is right only for the exact order. MPII's 16 are not OpenPose's MPII (15, neck at 1).
    public static func pose2simModel(for set: KeypointSet) -> String? {
        switch set.name {
        case "blazepose-33": "BLAZEPOSE"
        case "coco-17": "COCO_17"
        case "halpe-26": "HALPE_26"
        case "coco-wholebody-133": "COCO_133"
        default: nil
        }
    }

    /// COCO's 17 keypoint names in COCO order, from the shipped `coco-17` set.
    public static func coco17(loader: PipelineLoader = PipelineLoader()) throws -> [String] {
        try loader.keypointSet(named: "coco-17").keypoints
    }
}
