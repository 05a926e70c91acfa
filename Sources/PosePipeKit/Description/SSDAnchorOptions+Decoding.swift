/// Reads and checks the `anchors` of an SSD detector part, so that no setting can make anchor
/// generation divide by zero, index past its strides or allocate without bound.
extension SSDAnchorOptions: Decodable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case numLayers = "num_layers", minScale = "min_scale", maxScale = "max_scale"
        case inputWidth = "input_width", inputHeight = "input_height"
        case anchorOffsetX = "anchor_offset_x", anchorOffsetY = "anchor_offset_y"
        case strides
        case aspectRatios = "aspect_ratios"
        case interpolatedScaleAspectRatio = "interpolated_scale_aspect_ratio"
        case fixedAnchorSize = "fixed_anchor_size"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.strictContainer(keyedBy: CodingKeys.self)
        let layers = try c.decode(Int.self, forKey: .numLayers, where: Check.within(1...8))
        let strides = try c.decode([Int].self, forKey: .strides) {
            guard $0.count == layers else { return "must list num_layers (\(layers)) strides" }
            return $0.allSatisfy { (1...512).contains($0) } ? nil : "every stride must be between 1 and 512"
        }
        let width = try c.decode(Int.self, forKey: .inputWidth, where: Check.within(1...4096))
        let height = try c.decode(Int.self, forKey: .inputHeight, where: Check.within(1...4096))
        let ratios = try c.decode([Double].self, forKey: .aspectRatios, default: [1]) {
            !$0.isEmpty && $0.count <= 8 && $0.allSatisfy { $0.isFinite && $0 > 0.01 && $0 <= 100 } ? nil : "must be 1 to 8 ratios between 0.01 and 100"
        }
        let perCell = ratios.count + 1
        let count = strides.reduce(0) { total, stride in
            total + ((width + stride - 1) / stride) * ((height + stride - 1) / stride) * perCell
        }
        guard count <= 1_000_000 else {
            throw c.invalid(.strides, "give \(count) anchors; at most 1000000 are supported")
        }
        self.init(numLayers: layers,
                  minScale: try c.decode(Double.self, forKey: .minScale, where: Check.within(0.001...10)),
                  maxScale: try c.decode(Double.self, forKey: .maxScale, where: Check.within(0.001...10)),
                  inputWidth: width, inputHeight: height,
                  anchorOffsetX: try c.decode(Double.self, forKey: .anchorOffsetX, default: 0.5, where: Check.within(0...1)),
                  anchorOffsetY: try c.decode(Double.self, forKey: .anchorOffsetY, default: 0.5, where: Check.within(0...1)),
                  strides: strides, aspectRatios: ratios,
                  interpolatedScaleAspectRatio: try c.decode(Double.self, forKey: .interpolatedScaleAspectRatio, default: 1,
                                                             where: Check.within(0...100)),
                  fixedAnchorSize: try c.decode(Bool.self, forKey: .fixedAnchorSize, default: true))
    }
}
