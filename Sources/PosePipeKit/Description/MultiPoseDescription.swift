import Foundation

/// A multi-person pose model (`detector` of type `movenet`, `yolo-pose` or `rtmo`): one run over the whole
/// frame yields every person's box, score and keypoints, so the pipeline has no `pose` part and no
/// per-person crops.
///
/// MoveNet: the whole frame is scaled so its longer side is `longSide` pixels, the other side is
/// rounded up to a multiple of `multiple` (the model's stride) and the picture is centred in
/// that input on black, as MoveNet's authors advise for its free input size. YOLO-pose and RTMO take a
/// fixed input the frame is letterboxed into (`letterbox`).
public struct MultiPoseDescription: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case movenet
        /// Ultralytics YOLO-pose exports (`yolo export format=onnx`).
        case yoloPose = "yolo-pose"
        /// rtmlib's RTMO exports.
        case rtmo
    }

    /// How a letterboxing model takes the frame and how its rows are thinned.
    public struct Letterbox: Sendable, Equatable {
        public var input: InputDescription
        /// Ultralytics centres the resized frame; rtmlib puts it at the top-left corner.
        public var centred: Bool
        public var nmsIouThreshold: Double
        /// RTMO's keypoints output [1, N, K, 3] (its `output` being the boxes [1, N, 5]).
        public var keypointsOutput: String?
    }

    /// The part's name: its folder under `Pipelines/detectors/`, or `inline`.
    public var name: String
    public var kind: Kind
    /// The model file; nil: the pipeline takes the user's own export (`--model`).
    public var model: ModelReference?
    /// The model's input name; nil: its only input. MoveNet's input is uint8 RGB, NHWC.
    public var inputName: String?
    /// MoveNet: the output of one row per person: K × (y, x, score), then (ymin, xmin, ymax, xmax, score),
    /// normalised to the input; YOLO-pose: [1, 5 + 3K, anchors]; RTMO: the boxes. nil: the model's only output.
    public var output: String?
    /// Input pixels along the frame's longer side (MoveNet).
    public var longSide: Int
    /// The model's stride: both input sides are multiples of it (MoveNet).
    public var multiple: Int
    /// YOLO-pose and RTMO: the fixed input and the overlap suppression.
    public var letterbox: Letterbox?
    /// A row scored at least this is a person.
    public var scoreThreshold: Double
    /// A keypoint scored at least this is "clear": drawn, boxed, smoothed, trusted.
    public var clearScore: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, model, input, output
        case scoreThreshold = "score_threshold", clearScore = "clear_score"
        case nmsIouThreshold = "nms_iou_threshold", keypointsOutput = "keypoints_output"
    }

    enum InputKeys: String, CodingKey, CaseIterable {
        case name
        case longSide = "long_side", multiple
    }

    init(from decoder: any Decoder, kind: Kind, name: String, folder: URL) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.name = name
        self.kind = kind
        model = try c.decodeIfPresent(String.self, forKey: .model).map { ModelReference(file: $0, folder: folder) }
        output = try c.decodeIfPresent(String.self, forKey: .output)
        scoreThreshold = try c.decode(Double.self, forKey: .scoreThreshold, where: Check.within(0.01...1))
        clearScore = try c.decode(Double.self, forKey: .clearScore, default: 0.5, where: Check.within(0...1))
        if kind == .movenet {
            guard model != nil else { throw c.invalid(.model, "missing") }
            for key in [CodingKeys.nmsIouThreshold, .keypointsOutput] where c.contains(key) {
                throw c.invalid(key, "movenet has no \(key.stringValue)")
            }
            try c.superDecoder(forKey: .input).rejectUnknownKeys(InputKeys.self)
            let input = try c.nestedContainer(keyedBy: InputKeys.self, forKey: .input)
            inputName = try input.decodeIfPresent(String.self, forKey: .name)
            multiple = try input.decode(Int.self, forKey: .multiple, default: 32, where: Check.within(1...256))
            let stride = multiple
            longSide = try input.decode(Int.self, forKey: .longSide) {
                (stride...4096).contains($0) && $0 % stride == 0 ? nil : "must be a multiple of input.multiple (\(stride)) up to 4096"
            }
            return
        }
        let input = try c.decode(InputDescription.self, forKey: .input)
        guard input.layout == .nchw, input.width != nil, input.height != nil else {
            throw c.invalid(.input, "\(kind.rawValue) takes NCHW with a fixed width and height")
        }
        if kind == .yoloPose, c.contains(.keypointsOutput) { throw c.invalid(.keypointsOutput, "yolo-pose has one output") }
        inputName = input.name
        longSide = max(input.width ?? 0, input.height ?? 0)
        multiple = 1
        letterbox = Letterbox(input: input, centred: kind == .yoloPose,
                              nmsIouThreshold: try c.decode(Double.self, forKey: .nmsIouThreshold, where: Check.within(0.01...1)),
                              keypointsOutput: kind == .rtmo ? try c.decode(String.self, forKey: .keypointsOutput, default: "keypoints") : nil)
    }

    /// The input size for a `width` × `height` frame: the longer side `longSide`, the shorter one
    /// scaled alike and rounded up to a multiple of `multiple`.
    public func inputSize(width: Int, height: Int) -> (width: Int, height: Int) {
        let long = Double(max(width, height))
        // Rounded to a millionth first so that a side that scales to an exact multiple stays there.
        func side(_ v: Int) -> Int {
            let scaled = (Double(v) * Double(longSide) / long * 1e6).rounded() / 1e6
            return max(multiple, Int((scaled / Double(multiple)).rounded(.up)) * multiple)
        }
        return (side(width), side(height))
    }

    /// The region of a `width` × `height` frame the input of `inputSize` shows: the frame centred,
    /// at the input's scale, with the padding around it.
    public func region(width: Int, height: Int) -> RotatedRect {
        let size = inputSize(width: width, height: height)
        let pixelsPerInput = Double(max(width, height)) / Double(longSide)
        return RotatedRect(center: Point2(x: Double(width) / 2, y: Double(height) / 2),
                           width: Double(size.width) * pixelsPerInput, height: Double(size.height) * pixelsPerInput)
    }
}
