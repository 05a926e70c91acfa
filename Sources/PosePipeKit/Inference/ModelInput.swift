/// A model input made concrete: the description's `input` part with the size the model file
/// fixes, ready to fill.
public struct ModelInput: Sendable, Equatable {
    public var name: String
    public var layout: TensorLayout
    public var width: Int
    public var height: Int
    public var channels: InputDescription.ChannelOrder
    /// Tensor value = 0–255 value · scale[c] + offset[c], in the tensor's channel order.
    public var scale: [Float]
    public var offset: [Float]
    /// The 0–255 value of picture outside the frame.
    public var pad: Float

    public init(name: String, layout: TensorLayout, width: Int, height: Int, channels: InputDescription.ChannelOrder = .rgb,
                normalization: InputDescription.Normalization, pad: Float = 0) {
        self.name = name
        self.layout = layout
        self.width = width
        self.height = height
        self.channels = channels
        (scale, offset) = normalization.affine
        self.pad = pad
    }

    public var elementCount: Int { width * height * 3 }

    /// The tensor's shape for a batch of `batch` pictures.
    public func shape(batch: Int = 1) -> [Int] {
        layout == .nchw ? [batch, 3, height, width] : [batch, height, width, 3]
    }
}
