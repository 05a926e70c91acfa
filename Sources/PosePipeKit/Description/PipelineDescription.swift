import Foundation

/// A pipeline description (`Pipelines/NAME/pipeline.json`, version 2): names every part of a
/// top-down pipeline — the keypoint set, the person detector, the pose model with its input,
/// crop rule and codec — so another model family plugs in with a new file, not new code.
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
    public var pose: PoseModelDescription
    /// Folder the description was read from.
    public var folder: URL

    public init(name: String, summary: String?, license: String?, keypoints: KeypointSet, detector: DetectorDescription,
                pose: PoseModelDescription, folder: URL) {
        self.name = name
        self.summary = summary
        self.license = license
        self.keypoints = keypoints
        self.detector = detector
        self.pose = pose
        self.folder = folder
    }
}
