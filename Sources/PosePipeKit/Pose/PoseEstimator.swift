/// Inference for one person crop: runs the pose model on the crop (and its mirror image for a
/// flip test) and decodes the pose. One ONNX Runtime session; one thread at a time.
public final class PoseEstimator: PoseEstimating {
    public let model: ImageModel
    public let decoder: PoseDecoder

    public init(model: ImageModel, decoder: PoseDecoder) {
        self.model = model
        self.decoder = decoder
    }

    public var cropRule: any CropRule { decoder.cropRule }

    public func estimate(in frame: VideoFrame, crop: RotatedRect) throws -> PoseEstimate? {
        let outputs = try model.run(frame, crop: crop)
        // Nobody there: the mirrored run of a flip test would be wasted.
        guard decoder.holdsPerson(outputs) else { return nil }
        let mirrored = decoder.flip == nil ? nil : try model.run(frame, crop: crop, mirrored: true)
        return decoder.decode(outputs, mirrored: mirrored, crop: crop)
    }
}
