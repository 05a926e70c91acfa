import Foundation

/// A pipeline description (`Pipelines/NAME/pipeline.json`): names every part of a top-down
/// pipeline — the person detector, the landmark model, the codec that reads its output —
/// so another model family plugs in with a new file, not new code.
public struct PipelineDescription: Sendable, Codable {
    public var name: String
    public var summary: String?
    public var detector: DetectorDescription
    public var landmarks: LandmarkDescription
    /// Names of the reported keypoints, in output order.
    public var keypoints: [String]
    /// Pairs of keypoint indices to draw as bones.
    public var skeleton: [[Int]]
    /// Folder the description was read from; model paths are relative to it.
    public var folder: URL = URL(fileURLWithPath: ".")

    enum CodingKeys: String, CodingKey {
        case name, summary, detector, landmarks, keypoints, skeleton
    }

    public struct DetectorDescription: Sendable, Codable {
        public var model: String
        public var input: ImageTensorSpec
        public var boxesOutput: String
        public var scoresOutput: String
        public var anchors: SSDAnchorOptions
        public var boxScale: Double
        public var keypointsPerBox: Int
        public var scoreThreshold: Double
        public var nmsIouThreshold: Double
        public var roi: AlignmentROI
    }

    public struct LandmarkDescription: Sendable, Codable {
        public var model: String
        public var input: ImageTensorSpec
        public var codec: CodecDescription
        public var presence: PresenceDescription
        /// Per-keypoint regression output, used to place the next frame's crop.
        public var regression: RegressionDescription?
        /// What a detection must show before it starts a new track.
        public var newPerson: NewPersonRule?
    }

    /// A pose from a fresh detection starts a track only when at least `minClear` of the
    /// `anchors` (e.g. shoulders and hips) score `minScore` or more. Detector hits on faces in
    /// foliage or lens flare yield poses with a clear head and feet borrowed from a real person
    /// but no torso of their own; people already followed are never held to this.
    public struct NewPersonRule: Sendable, Codable {
        public var anchors: [Int]
        public var minClear: Int
        public var minScore: Double

        public func admits(_ keypoints: [Keypoint]) -> Bool {
            anchors.filter { keypoints.indices.contains($0) && keypoints[$0].score >= minScore }.count >= minClear
        }
    }

    public struct CodecDescription: Sendable, Codable {
        /// `heatmap-quarter-offset` or `regression`.
        public var type: String
        public var output: String
        /// For heatmaps: [height, width, channels] (channels last). For regression: [keypoints, values].
        public var shape: [Int]
        public var logits: Bool?
        public var scoreIndex: Int?
    }

    public struct PresenceDescription: Sendable, Codable {
        public var output: String
        /// A person whose presence is below this is dropped.
        public var threshold: Double
    }

    public struct RegressionDescription: Sendable, Codable {
        public var output: String
        /// [keypoints, values per keypoint]; x and y come first.
        public var shape: [Int]
        public var roi: AlignmentROI
        /// Keypoints the codec scores below this take their position from this output instead.
        public var positionBelow: Double?
    }
}

extension PipelineDescription {
    /// Environment variable naming extra folders of pipeline descriptions.
    public static let searchPathVariable = "POSEPIPE_PIPELINES"

    /// Reads a description from a `pipeline.json` path, a folder holding one, or the name of a
    /// folder under a `Pipelines/` directory of the checkout.
    public static func load(_ nameOrPath: String) throws -> PipelineDescription {
        let url = try locate(nameOrPath)
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PosePipeError.invalidPipeline("cannot read \(url.path)")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        var description: PipelineDescription
        do {
            description = try decoder.decode(PipelineDescription.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            throw PosePipeError.invalidPipeline("\(url.path): missing \((context.codingPath + [key]).map(\.stringValue).joined(separator: "."))")
        } catch {
            throw PosePipeError.invalidPipeline("\(url.path): \(error)")
        }
        description.folder = url.deletingLastPathComponent()
        try description.validate()
        return description
    }

    /// Absolute path of a model named in the description.
    public func modelPath(_ name: String) -> String {
        folder.appendingPathComponent(name).path
    }

    private static func locate(_ nameOrPath: String) throws -> URL {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: nameOrPath, isDirectory: &isDirectory) {
            let url = URL(fileURLWithPath: nameOrPath)
            return isDirectory.boolValue ? url.appendingPathComponent("pipeline.json") : url
        }
        var folders: [URL] = []
        if let extra = ProcessInfo.processInfo.environment[searchPathVariable] {
            folders += extra.split(separator: ":").map { URL(fileURLWithPath: String($0)) }
        }
        folders += ResourceLocator.ancestors().map { $0.appendingPathComponent("Pipelines") }
        for folder in folders {
            let candidate = folder.appendingPathComponent(nameOrPath).appendingPathComponent("pipeline.json")
            if manager.fileExists(atPath: candidate.path) { return candidate }
        }
        throw PosePipeError.invalidPipeline("no pipeline named '\(nameOrPath)' (looked in Pipelines/ and \(searchPathVariable))")
    }

    private func validate() throws {
        guard keypoints.count > 0 else { throw PosePipeError.invalidPipeline("\(name): no keypoints") }
        for edge in skeleton where edge.count != 2 || edge.contains(where: { !keypoints.indices.contains($0) }) {
            throw PosePipeError.invalidPipeline("\(name): skeleton edge \(edge) names a keypoint that does not exist")
        }
        if let rule = landmarks.newPerson, rule.anchors.contains(where: { !keypoints.indices.contains($0) }) {
            throw PosePipeError.invalidPipeline("\(name): new_person anchors name a keypoint that does not exist")
        }
        let codec = landmarks.codec
        switch codec.type {
        case "heatmap-quarter-offset":
            guard codec.shape.count == 3, codec.shape[2] >= keypoints.count else {
                throw PosePipeError.invalidPipeline("\(name): heatmap shape must be [height, width, channels ≥ keypoints]")
            }
        case "regression":
            guard codec.shape.count == 2, codec.shape[0] >= keypoints.count, codec.shape[1] >= 2 else {
                throw PosePipeError.invalidPipeline("\(name): regression shape must be [keypoints, values ≥ 2]")
            }
        default:
            throw PosePipeError.invalidPipeline("\(name): unknown codec '\(codec.type)' (heatmap-quarter-offset, regression)")
        }
    }

    /// The codec the description names.
    public func makeCodec() -> any KeypointCodec {
        let codec = landmarks.codec
        let crop = (Double(landmarks.input.width), Double(landmarks.input.height))
        if codec.type == "regression" {
            return RegressionCodec(output: codec.output, totalKeypoints: codec.shape[0], valuesPerKeypoint: codec.shape[1],
                                   keypointCount: keypoints.count, scoreIndex: codec.scoreIndex)
        }
        return HeatmapQuarterOffsetCodec(
            output: codec.output, width: codec.shape[1], height: codec.shape[0], channels: codec.shape[2],
            keypointCount: keypoints.count, cropWidth: crop.0, cropHeight: crop.1, logits: codec.logits ?? false)
    }
}
