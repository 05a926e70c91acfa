import Foundation

/// A YOLOX or RTMDet person detector as rtmlib 0.0.16 runs it (`rtmlib/tools/object_detection/`): the frame
/// resized by `min(H / h, W / w)` into the top-left corner of the input, the rest filled with 114, pixels in
/// OpenCV's BGR order, raw 0–255 (YOLOX) or with mean/std (RTMDet). The model's first output is either
/// end-to-end boxes `dets` [1, N, 5] (x1, y1, x2, y2, score; NMS inside the graph) or YOLOX's raw grid
/// [1, cells, 5 + classes] (centre offsets, log sizes, objectness, class scores) that posepipe decodes with
/// rtmlib's strides, exponential sizes and per-class NMS.
public struct LetterboxDetectorDescription: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case yolox, rtmdet
    }

    public var name: String
    public var kind: Kind
    /// The model file; nil: the part describes a convention and takes the user's file (`--detector-model`).
    public var model: ModelReference?
    public var input: InputDescription
    /// The output read; nil: the model's first, as rtmlib reads it.
    public var output: String?
    /// Raw grid: a box whose objectness × class score exceeds this survives to NMS (rtmlib: YOLOX 0.7, RTMDet 0.3).
    public var scoreThreshold: Double
    /// End-to-end `dets`: a box scored above this is a person (rtmlib: YOLOX 0.3, fixed; RTMDet its score_thr).
    public var endToEndThreshold: Double
    public var nmsIouThreshold: Double
    /// Raw grid: the class kept; nil: every class, as rtmlib's YOLOX in 'human' mode (its person models have one).
    public var personClass: Int?
    public var strides: [Int]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case type, model, input, output, strides
        case scoreThreshold = "score_threshold", endToEndThreshold = "end_to_end_threshold"
        case nmsIouThreshold = "nms_iou_threshold", personClass = "person_class"
    }

    init(from decoder: any Decoder, kind: Kind, name: String, folder: URL) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        self.name = name
        self.kind = kind
        model = try c.decodeIfPresent(String.self, forKey: .model).map { ModelReference(file: $0, folder: folder) }
        input = try c.decode(InputDescription.self, forKey: .input)
        guard input.layout == .nchw else { throw c.invalid(.input, "rtmlib's detectors take NCHW") }
        guard input.width != nil, input.height != nil else {
            throw c.invalid(.input, "width and height are needed (rtmlib's model_input_size), for exports whose size is free")
        }
        output = try c.decodeIfPresent(String.self, forKey: .output)
        let threshold = Check.within(0.0...1)
        scoreThreshold = try c.decode(Double.self, forKey: .scoreThreshold, default: kind == .yolox ? 0.7 : 0.3, where: threshold)
        endToEndThreshold = try c.decode(Double.self, forKey: .endToEndThreshold, default: 0.3, where: threshold)
        nmsIouThreshold = try c.decode(Double.self, forKey: .nmsIouThreshold, default: 0.45, where: Check.within(0.01...1))
        personClass = try c.decodeIfPresent(Int.self, forKey: .personClass)
        if let personClass, !(0...999).contains(personClass) { throw c.invalid(.personClass, "must be between 0 and 999") }
        strides = try c.decode([Int].self, forKey: .strides, default: [8, 16, 32]) {
            !$0.isEmpty && $0.allSatisfy { (1...512).contains($0) } ? nil : "must be positive strides such as [8, 16, 32]"
        }
    }
}
