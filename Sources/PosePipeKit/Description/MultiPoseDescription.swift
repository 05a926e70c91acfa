import Foundation

/// A multi-person pose model (`detector` of type `movenet`): one run over the whole frame
/// yields every person's box, score and keypoints, so the pipeline has no `pose` part and no
/// per-person crops.
///
/// The whole frame is scaled so its longer side is `longSide` pixels, the other side is
/// rounded up to a multiple of `multiple` (the model's stride) and the picture is centred in
/// that input on black, as MoveNet's authors advise for its free input size.
public struct MultiPoseDescription: Sendable, Equatable {
    /// The part's name: its folder under `Pipelines/detectors/`, or `inline`.
    public var name: String
    public var model: ModelReference
    /// The model's input name; nil: its only input. The input is uint8 RGB, NHWC.
    public var inputName: String?
    /// The output of one row per person: K × (y, x, score), then (ymin, xmin, ymax, xmax, score),
    /// normalised to the input; nil: the model's only output.
    public var output: String?
    /// Input pixels along the frame's longer side.
    public var longSide: Int
    /// The model's stride: both input sides are multiples of it.
    public var multiple: Int
    /// A row scored at least this is a person.
    public var scoreThreshold: Double
    /// A keypoint scored at least this is "clear": drawn, boxed, smoothed, trusted.
    public var clearScore: Double

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, model, input, output
        case scoreThreshold = "score_threshold", clearScore = "clear_score"
    }

    enum InputKeys: String, CodingKey, CaseIterable {
        case name
        case longSide = "long_side", multiple
    }

    init(from decoder: any Decoder, name: String, folder: URL) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.name = name
        model = ModelReference(file: try c.decode(String.self, forKey: .model), folder: folder)
        try c.superDecoder(forKey: .input).rejectUnknownKeys(InputKeys.self)
        let input = try c.nestedContainer(keyedBy: InputKeys.self, forKey: .input)
        inputName = try input.decodeIfPresent(String.self, forKey: .name)
        multiple = try input.decode(Int.self, forKey: .multiple, default: 32, where: Check.within(1...256))
        let stride = multiple
        longSide = try input.decode(Int.self, forKey: .longSide) {
            (stride...4096).contains($0) && $0 % stride == 0 ? nil : "must be a multiple of input.multiple (\(stride)) up to 4096"
        }
        output = try c.decodeIfPresent(String.self, forKey: .output)
        scoreThreshold = try c.decode(Double.self, forKey: .scoreThreshold, where: Check.within(0.01...1))
        clearScore = try c.decode(Double.self, forKey: .clearScore, default: 0.5, where: Check.within(0...1))
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
