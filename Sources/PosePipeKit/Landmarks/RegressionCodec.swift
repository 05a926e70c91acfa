/// Direct coordinate regression, as TFPose-style and BlazePose's own landmark heads emit:
/// `valuesPerKeypoint` numbers per keypoint, x and y in crop pixels first, then a visibility logit.
public struct RegressionCodec: KeypointCodec {
    public let output: ONNXModel.Output
    public let valuesPerKeypoint: Int
    public let keypointCount: Int
    /// Index within a keypoint's values of the visibility logit, nil when the model has none.
    public let scoreIndex: Int?

    public init(output name: String, totalKeypoints: Int, valuesPerKeypoint: Int, keypointCount: Int, scoreIndex: Int?) {
        self.output = ONNXModel.Output(name: name, shape: [1, totalKeypoints * valuesPerKeypoint])
        self.valuesPerKeypoint = valuesPerKeypoint
        self.keypointCount = keypointCount
        self.scoreIndex = scoreIndex
    }

    public func decode(_ values: [Float]) -> [Keypoint] {
        (0..<keypointCount).map { k in
            let base = k * valuesPerKeypoint
            let score = scoreIndex.map { sigmoid(Double(values[base + $0])) } ?? 1
            return Keypoint(x: Double(values[base]), y: Double(values[base + 1]), score: score)
        }
    }
}
