/// A file in a batch folder that is not a clip, and why.
public struct SkippedFile: Sendable, Equatable, Codable {
    /// Relative to the batch folder.
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}
