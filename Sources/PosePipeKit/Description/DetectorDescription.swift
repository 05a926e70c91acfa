import Foundation

/// The person detector part (`detector`): inline in a pipeline, or a file
/// `Pipelines/detectors/NAME/detector.json` that any pipeline names by `NAME`.
public enum DetectorDescription: Sendable, Equatable {
    /// BlazePose's SSD detector: boxes with alignment keypoints (mid-hip, toward the head).
    case blazepose(BlazePoseDetectorDescription)
    /// A detector of plain boxes (EfficientDet-Lite0), one class of which is `person`.
    case box(BoxDetectorDescription)
    /// Every frame is one person box, the whole frame, as MMPose's `inference_topdown` does
    /// when it is given no boxes: for clips already cropped to one person.
    case wholeFrame
    /// YOLOX or RTMDet as rtmlib runs them: letterboxed frame, end-to-end or raw-grid boxes.
    case letterbox(LetterboxDetectorDescription)
    /// A multi-person pose model (MoveNet MultiPose): one run finds every person with their
    /// keypoints, so a pipeline with it has no `pose` part.
    case multiPose(MultiPoseDescription)

    /// The detector's name, as `--detector` and `posepipe pipelines` show it.
    public var name: String {
        switch self {
        case .blazepose(let d): d.name
        case .box(let d): d.name
        case .letterbox(let d): d.name
        case .wholeFrame: "whole-frame"
        case .multiPose(let d): d.name
        }
    }

    /// The multi-person model, when this detector is one.
    public var multiPose: MultiPoseDescription? {
        if case .multiPose(let d) = self { d } else { nil }
    }

    static let types = ["blazepose", "box", "yolox", "rtmdet", "whole-frame", "movenet", "yolo-pose", "rtmo"]
}

/// A model file and the input it takes, with the folder its path is relative to.
public struct ModelReference: Sendable, Equatable {
    public var file: String
    public var folder: URL

    public init(file: String, folder: URL) {
        self.file = file
        self.folder = folder
    }

    public var path: String { URL(fileURLWithPath: file, relativeTo: folder).standardizedFileURL.path }
}

extension DetectorDescription {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case type
    }

    /// Decodes an inline detector object whose model paths are relative to `folder`.
    static func decode(from decoder: any Decoder, name: String, folder: URL) throws -> DetectorDescription {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "blazepose": return .blazepose(try BlazePoseDetectorDescription(from: decoder, name: name, folder: folder))
        case "box": return .box(try BoxDetectorDescription(from: decoder, name: name, folder: folder))
        case "yolox", "rtmdet":
            return .letterbox(try LetterboxDetectorDescription(from: decoder, kind: .init(rawValue: type)!, name: name, folder: folder))
        case "whole-frame": return .wholeFrame
        case "movenet", "yolo-pose", "rtmo":
            return .multiPose(try MultiPoseDescription(from: decoder, kind: .init(rawValue: type)!, name: name, folder: folder))
        default: throw c.unknownType(.type, type, known: types)
        }
    }
}

/// BlazePose's person detector (MediaPipe `pose_detection`): SSD anchors, raw boxes with
/// keypoints, weighted non-maximum suppression.
public struct BlazePoseDetectorDescription: Sendable, Equatable {
    public var name: String
    public var model: ModelReference
    public var input: InputDescription
    public var boxesOutput: String
    public var scoresOutput: String
    public var anchors: SSDAnchorOptions
    /// Raw offsets are in input pixels of this size.
    public var boxScale: Double
    public var keypointsPerBox: Int
    /// Which of a box's keypoints are the alignment points [centre, toward the head].
    public var alignment: [Int]
    public var scoreThreshold: Double
    public var nmsIouThreshold: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, model, input, anchors, alignment
        case boxesOutput = "boxes_output", scoresOutput = "scores_output", boxScale = "box_scale"
        case keypointsPerBox = "keypoints_per_box", scoreThreshold = "score_threshold"
        case nmsIouThreshold = "nms_iou_threshold"
    }

    init(from decoder: any Decoder, name: String, folder: URL) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.name = name
        model = ModelReference(file: try c.decode(String.self, forKey: .model), folder: folder)
        input = try c.decode(InputDescription.self, forKey: .input)
        guard input.width != nil, input.height != nil else { throw c.invalid(.input, "width and height are needed for SSD anchors") }
        boxesOutput = try c.decode(String.self, forKey: .boxesOutput)
        scoresOutput = try c.decode(String.self, forKey: .scoresOutput)
        anchors = try c.decode(SSDAnchorOptions.self, forKey: .anchors)
        boxScale = try c.decode(Double.self, forKey: .boxScale, where: Check.within(1...4096))
        keypointsPerBox = try c.decode(Int.self, forKey: .keypointsPerBox, where: Check.within(0...16))
        let count = keypointsPerBox
        alignment = try c.decode([Int].self, forKey: .alignment, default: [0, 1]) {
            $0.count == 2 && $0.allSatisfy { (0..<count).contains($0) } && $0[0] != $0[1]
                ? nil : "must be two different keypoint indices below keypoints_per_box (\(count))"
        }
        scoreThreshold = try c.decode(Double.self, forKey: .scoreThreshold, where: Check.within(0.01...1))
        nmsIouThreshold = try c.decode(Double.self, forKey: .nmsIouThreshold, where: Check.within(0.01...1))
    }
}

/// A detector of plain boxes whose model emits every anchor's decoded box and class logits
/// (EfficientDet-Lite0's candidates); posepipe keeps the person class and suppresses overlaps.
public struct BoxDetectorDescription: Sendable, Equatable {
    public var name: String
    public var model: ModelReference
    public var input: InputDescription
    /// Candidate boxes [1, N, 4], in input pixels, ordered as `boxOrder` says.
    public var boxesOutput: String
    /// Candidate class scores [1, N, classes].
    public var scoresOutput: String
    public var boxOrder: BoxOrder
    /// Column of the person class among the scores.
    public var personClass: Int
    /// Whether scores are logits that need a sigmoid.
    public var logits: Bool
    /// Where the whole frame goes in the input: at the top-left corner (automl's
    /// `resize_and_crop_image`) or centred (a letterbox).
    public var fit: Fit
    public var scoreThreshold: Double
    public var nmsIouThreshold: Double

    public enum BoxOrder: String, Sendable, Equatable, Decodable {
        case yxyx, xyxy
    }

    public enum Fit: String, Sendable, Equatable, Decodable {
        case topLeft = "top-left", centre
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, model, input, logits, fit
        case boxesOutput = "boxes_output", scoresOutput = "scores_output", boxOrder = "box_order", personClass = "person_class"
        case scoreThreshold = "score_threshold", nmsIouThreshold = "nms_iou_threshold"
    }

    init(from decoder: any Decoder, name: String, folder: URL) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.name = name
        model = ModelReference(file: try c.decode(String.self, forKey: .model), folder: folder)
        input = try c.decode(InputDescription.self, forKey: .input)
        boxesOutput = try c.decode(String.self, forKey: .boxesOutput)
        scoresOutput = try c.decode(String.self, forKey: .scoresOutput)
        boxOrder = try c.decode(BoxOrder.self, forKey: .boxOrder, default: .xyxy)
        personClass = try c.decode(Int.self, forKey: .personClass, where: Check.within(0...999))
        logits = try c.decode(Bool.self, forKey: .logits, default: true)
        fit = try c.decode(Fit.self, forKey: .fit, default: .centre)
        scoreThreshold = try c.decode(Double.self, forKey: .scoreThreshold, where: Check.within(0.01...1))
        nmsIouThreshold = try c.decode(Double.self, forKey: .nmsIouThreshold, where: Check.within(0.01...1))
    }
}
