/// How a model wants its input picture (the `input` part): tensor name, memory layout, size,
/// channel order and value normalisation.
///
/// MMPose exports take NCHW RGB with ImageNet `mean`/`std` on 0–255 values; TensorFlow-born
/// models (BlazePose) take NHWC RGB with a value `range` such as `[0, 1]`.
public struct InputDescription: Sendable, Equatable, Decodable {
    /// The model's input name; nil: the model's only input.
    public var name: String?
    public var layout: TensorLayout
    /// Size in pixels; nil: read from the model.
    public var width: Int?
    public var height: Int?
    public var channels: ChannelOrder
    public var normalization: Normalization
    /// The 0–255 value of picture outside the frame (automl pads its detector's input with grey 127).
    public var pad: Float = 0
    /// Whether a size the model file fixes overrides `width`/`height` (a user's own export run
    /// with `--model`) instead of contradicting them.
    public var sizeFromModel = false

    public enum ChannelOrder: String, Sendable, Equatable, Decodable {
        case rgb, bgr
    }

    /// What a stored 0–255 channel value becomes in the tensor.
    public enum Normalization: Sendable, Equatable {
        /// Black and white map linearly onto `low` and `high`.
        case range(low: Float, high: Float)
        /// `(value − mean) / std` per channel, in the tensor's channel order, on 0–255 values.
        case meanStd(mean: [Float], std: [Float])

        /// Per-channel `scale` and `offset` with tensor value = 0–255 value · scale + offset.
        public var affine: (scale: [Float], offset: [Float]) {
            switch self {
            case .range(let low, let high):
                return (Array(repeating: (high - low) / 255, count: 3), Array(repeating: low, count: 3))
            case .meanStd(let mean, let std):
                return (std.map { 1 / $0 }, zip(mean, std).map { -$0 / $1 })
            }
        }
    }

    public init(name: String?, layout: TensorLayout, width: Int?, height: Int?, channels: ChannelOrder = .rgb,
                normalization: Normalization) {
        self.name = name
        self.layout = layout
        self.width = width
        self.height = height
        self.channels = channels
        self.normalization = normalization
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, layout, width, height, channels, range, mean, std, pad
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        layout = try c.decode(TensorLayout.self, forKey: .layout, default: .nhwc)
        let size = Check.within(1...4096)
        width = try c.decodeIfPresent(Int.self, forKey: .width).map { try Self.checked($0, .width, c, size) }
        height = try c.decodeIfPresent(Int.self, forKey: .height).map { try Self.checked($0, .height, c, size) }
        channels = try c.decode(ChannelOrder.self, forKey: .channels, default: .rgb)
        pad = try c.decode(Float.self, forKey: .pad, default: 0) { $0.isFinite && (0...255).contains($0) ? nil : "must be between 0 and 255" }
        let range = try c.decodeIfPresent([Float].self, forKey: .range)
        let mean = try c.decodeIfPresent([Float].self, forKey: .mean)
        let std = try c.decodeIfPresent([Float].self, forKey: .std)
        switch (range, mean, std) {
        case (let range?, nil, nil):
            guard range.count == 2, range.allSatisfy(\.isFinite), range[0] != range[1] else {
                throw c.invalid(.range, "must be two different numbers [black, white]")
            }
            normalization = .range(low: range[0], high: range[1])
        case (nil, let mean?, let std?):
            guard mean.count == 3, mean.allSatisfy(\.isFinite) else { throw c.invalid(.mean, "must be three numbers") }
            guard std.count == 3, std.allSatisfy({ $0.isFinite && $0 > 0 }) else {
                throw c.invalid(.std, "must be three positive numbers")
            }
            normalization = .meanStd(mean: mean, std: std)
        case (nil, nil, nil):
            throw c.invalid(.range, "missing: give a value range, or mean and std")
        case (_?, _, _):
            throw c.invalid(.range, "give either range, or mean and std, not both")
        case (nil, nil, _?):
            throw c.invalid(.mean, "missing: std needs mean")
        case (nil, _?, nil):
            throw c.invalid(.std, "missing: mean needs std")
        }
    }

    private static func checked(_ value: Int, _ key: CodingKeys, _ c: KeyedDecodingContainer<CodingKeys>,
                                _ rule: (Int) -> String?) throws -> Int {
        if let problem = rule(value) { throw c.invalid(key, problem) }
        return value
    }
}
