import Foundation

/// One colour per track id, the same in every frame, every overlay and every plot: hues stepped
/// by the golden ratio, so ids seen together (usually close in number) get far-apart hues.
public enum TrackColors {
    /// An RGB colour.
    public struct RGB: Sendable, Equatable {
        public var r: UInt8
        public var g: UInt8
        public var b: UInt8

        public init(_ r: UInt8, _ g: UInt8, _ b: UInt8) {
            self.r = r
            self.g = g
            self.b = b
        }

        /// `#rrggbb`, for SVG.
        public var hex: String { String(format: "#%02x%02x%02x", r, g, b) }
    }

    /// The colour of track `id`: full value, strong saturation, hue (id − 1) · 0.618… turns.
    public static func color(for id: Int) -> RGB {
        // In Doubles: id − 1 overflows Int for the smallest id a track file can hold.
        let turn = ((Double(id) - 1) * 0.618_033_988_75).truncatingRemainder(dividingBy: 1)
        let hue = (turn < 0 ? turn + 1 : turn) * 6
        let saturation = 0.85
        let sector = Int(hue) % 6, f = hue - Double(Int(hue))
        let p = 1 - saturation, q = 1 - saturation * f, t = 1 - saturation * (1 - f)
        let (r, g, b): (Double, Double, Double) = switch sector {
        case 0: (1, t, p)
        case 1: (q, 1, p)
        case 2: (p, 1, t)
        case 3: (p, q, 1)
        case 4: (t, p, 1)
        default: (1, p, q)
        }
        return RGB(UInt8((r * 255).rounded()), UInt8((g * 255).rounded()), UInt8((b * 255).rounded()))
    }
}
