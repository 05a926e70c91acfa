import Foundation

/// A pipeline description (`Pipelines/NAME/pipeline.json`, version 2): names every part of a
/// top-down pipeline — the keypoint set, the person detector, the pose model with its input,
/// crop rule and codec — so another model family plugs in with a new file, not new code. A
/// multi-person model (`detector` of type `movenet`) finds people and keypoints in one run and
/// takes the place of both detector and pose model.
///
/// This is a schema only: `PipelineLoader` reads and validates it, `StageFactory` builds the
/// stages it describes.
public struct PipelineDescription: Sendable, Equatable {
    public static let version = 2

    public var name: String
    public var summary: String?
    /// Licence of the shipped model files, as `posepipe pipelines` shows it.
    public var license: String?
    public var keypoints: KeypointSet
    public var detector: DetectorDescription
    /// The per-person pose model; nil exactly when the detector is a multi-person model.
    public var pose: PoseModelDescription?
    /// Folder the description was read from.
    public var folder: URL
    /// Keypoint sets a user's export may have (`keypoint_choices`): the one whose count matches the model's
    /// output is taken (`PipelineOverrides`); empty: always `keypoints`.
    public var keypointChoices: [String] = []

    public init(name: String, summary: String?, license: String?, keypoints: KeypointSet, detector: DetectorDescription,
                pose: PoseModelDescription?, folder: URL) {
        self.name = name
        self.summary = summary
        self.license = license
        self.keypoints = keypoints
        self.detector = detector
        self.pose = pose
        self.folder = folder
    }

    /// A keypoint scored at least this is "clear" (drawn, boxed, smoothed, trusted), as the part
    /// that finds the keypoints says.
    public var clearScore: Double {
        pose?.clearScore ?? detector.multiPose?.clearScore ?? 0.5
    }
}
