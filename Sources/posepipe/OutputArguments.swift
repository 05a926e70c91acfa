import ArgumentParser
import PosePipeKit

/// What a run writes besides the keypoints.
struct OutputArguments: ParsableArguments {
    @Flag(name: .long, help: "Add each person's joint angles (knees, hips, ankles, shoulders, elbows) and segment angles (shanks, thighs, trunk, arms) in degrees, as Sports2D defines them, from the smoothed keypoints; null where a joint is not clear.")
    var angles = false

    @Option(name: .long, help: ArgumentHelp("Also write a video with every person's skeleton, box and id drawn (as `posepipe render`).", valueName: "overlay.mp4"))
    var overlay: String?

    /// The angle calculator for this pipeline's keypoints, when asked for.
    func angleCalculator(for description: PipelineDescription) -> JointAngles? {
        angles ? JointAngles(keypointNames: description.keypoints.keypoints, clearScore: description.pose.clearScore) : nil
    }

    /// Whether any of these was given.
    var anyGiven: Bool { angles || overlay != nil }
}
