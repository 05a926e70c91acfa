/// How a model wants its input picture: NHWC float RGB of `width` × `height`, values in `range`.
public struct ImageTensorSpec: Sendable, Codable, Equatable {
    /// The model's input name.
    public var name: String
    public var width: Int
    public var height: Int
    /// Value of a black pixel and of a white one, e.g. `[0, 1]` or `[-1, 1]`.
    public var range: [Float]

    public init(name: String, width: Int, height: Int, range: [Float]) {
        self.name = name
        self.width = width
        self.height = height
        self.range = range
    }

    public var elementCount: Int { width * height * 3 }
    var low: Float { range.first ?? 0 }
    var high: Float { range.count > 1 ? range[1] : 1 }
}
