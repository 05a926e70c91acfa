extension SimCCCodec {
    /// Why a model's outputs cannot be read as SimCC vectors.
    public struct ShapeProblem: Error {
        public var reason: String
    }

    /// The decoder's reader for SimCC outputs `x` [1, K, xBins] and `y` [1, K, yBins] (y at `yIndex` among the
    /// run's outputs), checked against `keypoints` and the split ratio.
    func reader(x: ONNXModel.Output, y: ONNXModel.Output, yIndex: Int, keypoints: KeypointSet, inputWidth: Int, inputHeight: Int) throws
        -> PoseDecoder.Reader
    {
        for output in [x, y] where output.shape.count != 3 || output.shape[1] < keypoints.count || output.shape[2] < 2 {
            throw ShapeProblem(reason: "output '\(output.name)' has shape \(output.shape); simcc needs [1, K, bins] with \(keypoints.count) keypoints (\(keypoints.name))")
        }
        guard x.shape[1] == y.shape[1] else {
            throw ShapeProblem(reason: "outputs '\(x.name)' \(x.shape) and '\(y.name)' \(y.shape) disagree on the keypoint count")
        }
        for (output, side, name) in [(x, inputWidth, "width"), (y, inputHeight, "height")]
        where output.shape[2] != Int((Double(side) * splitRatio).rounded(.down)) {
            throw ShapeProblem(reason: "output '\(output.name)' has \(output.shape[2]) bins for an input \(name) of \(side): not split_ratio \(splitRatio) × \(side)")
        }
        return .simcc(self, yOutput: yIndex, xBins: x.shape[2], yBins: y.shape[2])
    }
}
