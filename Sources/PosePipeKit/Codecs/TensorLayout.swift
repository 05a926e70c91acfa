/// Axis order of an image or heatmap tensor: channels first (PyTorch, MMPose, mmdeploy) or channels last
/// (TensorFlow-born models such as BlazePose).
public enum TensorLayout: String, Sendable, Codable {
    case nchw = "NCHW"
    case nhwc = "NHWC"
}
