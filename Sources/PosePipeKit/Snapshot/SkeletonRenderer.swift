import Foundation

/// Draws tracked people — box, id, bones and joints — onto an RGB24 picture in their track's
/// colour, so a person can check results by eye. Joints scored below `minScore` (and bones to
/// them) are drawn faint and small: their positions are the model's guesses.
public struct SkeletonRenderer: Sendable {
    public let skeleton: [[Int]]
    /// Keypoints scored below this are drawn dimmed.
    public let minScore: Double
    /// Opacity of unclear joints and bones.
    public static let dimmedOpacity = 0.35

    public init(skeleton: [[Int]], minScore: Double = 0.5) {
        self.skeleton = skeleton
        self.minScore = minScore
    }

    /// The radius of a joint's coloured centre in a `width` × `height` picture.
    public static func jointRadius(width: Int, height: Int) -> Double { lineRadius(width: width, height: height) * 1.1 }

    static func lineRadius(width: Int, height: Int) -> Double { max(2.0, Double(max(width, height)) / 400) }

    /// Draws `people` onto `rgb`, a `width` × `height` packed RGB24 picture in display orientation.
    public func draw(_ people: [TrackedPerson], on rgb: inout [UInt8], width: Int, height: Int) {
        var canvas = Canvas(width: width, height: height, rgb: rgb)
        rgb = []
        let thickness = Self.lineRadius(width: width, height: height)
        let white = TrackColors.RGB(255, 255, 255)
        for person in people {
            let color = TrackColors.color(for: person.id)
            let box = person.box
            canvas.rectangle(box, radius: thickness / 3, color: color)
            label(person.id, above: box, thickness: thickness, color: color, on: &canvas)
            // A skeleton from a track file may name keypoints a person lacks; those bones are left out.
            let keypoints = person.keypoints.indices
            for edge in skeleton where edge.count == 2 && keypoints.contains(edge[0]) && keypoints.contains(edge[1]) {
                let a = person.keypoints[edge[0]], b = person.keypoints[edge[1]]
                let clear = a.score >= minScore && b.score >= minScore
                canvas.line(a.point, b.point, radius: clear ? thickness : thickness / 2, color: color, opacity: clear ? 1 : Self.dimmedOpacity)
            }
            // Unclear joints first, so clear ones stay on top where they meet.
            for k in person.keypoints where k.score < minScore {
                canvas.disc(k.point, radius: thickness, color: color, opacity: Self.dimmedOpacity)
            }
            for k in person.keypoints where k.score >= minScore {
                canvas.disc(k.point, radius: thickness * 1.8, color: white)
                canvas.disc(k.point, radius: thickness * 1.1, color: color)
            }
        }
        rgb = canvas.rgb
    }

    /// `#id` on a filled tab of the track's colour, just above the box's top-left corner.
    private func label(_ id: Int, above box: Box, thickness: Double, color: TrackColors.RGB, on canvas: inout Canvas) {
        guard box.x.isFinite, box.y.isFinite else { return }
        let scale = max(2, Int(thickness.rounded()))
        let text = "#\(id)"
        let textWidth = text.count * (DigitFont.width + 1) * scale
        let tabHeight = (DigitFont.height + 2) * scale
        // Clamped to the picture as Doubles first: a box far outside it has no Int position.
        let x = Int(min(max(0, box.x), Double(max(0, canvas.width - textWidth - 2 * scale))))
        let y = max(0, Int(min(max(0, box.y), Double(canvas.height + tabHeight))) - tabHeight)
        canvas.fill(x0: x, y0: y, x1: x + textWidth + scale, y1: y + tabHeight, color: color)
        canvas.text(text, x: x + scale, y: y + scale, scale: scale, color: TrackColors.RGB(0, 0, 0))
    }
}
