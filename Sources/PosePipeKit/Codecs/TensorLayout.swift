/// Memory order of an image-like tensor: channels first (PyTorch exports) or last (TensorFlow's).
public enum TensorLayout: String, Sendable, Codable {
    case nchw = "NCHW"
    case nhwc = "NHWC"
}
