/// One decoded picture, packed RGB24 in stored orientation, with its place in the stream.
public struct VideoFrame: Sendable {
    /// Position among the decoded frames, from 0.
    public let index: Int
    /// Presentation time in seconds (the stream's PTS times its time base).
    public let pts: Double
    /// Stored width and height in pixels.
    public let width: Int
    public let height: Int
    /// `height` rows of `width * 3` bytes, R G B.
    public let rgb: [UInt8]
    public let orientation: DisplayOrientation

    public init(index: Int, pts: Double, width: Int, height: Int, rgb: [UInt8], orientation: DisplayOrientation = .upright) {
        precondition(rgb.count == width * height * 3, "RGB buffer does not match the frame size")
        self.init(unchecked: index, pts: pts, width: width, height: height, rgb: rgb, orientation: orientation)
    }

    private init(unchecked index: Int, pts: Double, width: Int, height: Int, rgb: [UInt8], orientation: DisplayOrientation) {
        self.index = index
        self.pts = pts
        self.width = width
        self.height = height
        self.rgb = rgb
        self.orientation = orientation
    }

    /// A frame's place, time and size when its pixels were never made (`rgb` empty).
    static func placeholder(index: Int, pts: Double, width: Int, height: Int, orientation: DisplayOrientation) -> VideoFrame {
        VideoFrame(unchecked: index, pts: pts, width: width, height: height, rgb: [], orientation: orientation)
    }

    /// The frame's place, time and size without its pixels (`rgb` empty): what a result held back for a
    /// while needs, at none of a picture's memory.
    public func withoutPixels() -> VideoFrame {
        VideoFrame(unchecked: index, pts: pts, width: width, height: height, rgb: [], orientation: orientation)
    }

    /// Size as displayed, after the orientation is applied.
    public var displayWidth: Int { orientation.displaySize(width: width, height: height).width }
    public var displayHeight: Int { orientation.displaySize(width: width, height: height).height }

    /// Map from displayed coordinates, the ones posepipe reports, to stored ones.
    public var displayToStored: AffineTransform { orientation.displayToStored(width: width, height: height) }

    /// The frame turned into display orientation, for drawing.
    public func uprightRGB() -> [UInt8] {
        guard orientation != .upright else { return rgb }
        let dw = displayWidth, dh = displayHeight
        let map = displayToStored
        var out = [UInt8](repeating: 0, count: dw * dh * 3)
        for y in 0..<dh {
            for x in 0..<dw {
                let s = map.apply(Point2(x: Double(x) + 0.5, y: Double(y) + 0.5))
                let sx = Int(s.x), sy = Int(s.y)
                let src = (sy * width + sx) * 3, dst = (y * dw + x) * 3
                out[dst] = rgb[src]
                out[dst + 1] = rgb[src + 1]
                out[dst + 2] = rgb[src + 2]
            }
        }
        return out
    }
}
