import Foundation

/// Draws tracked people — bones, joints and box — onto an RGB24 picture, one colour per id,
/// so a person can check results by eye.
public struct SkeletonRenderer: Sendable {
    public let skeleton: [[Int]]
    /// Keypoints scored below this are not drawn.
    public let minScore: Double

    public init(skeleton: [[Int]], minScore: Double = 0.5) {
        self.skeleton = skeleton
        self.minScore = minScore
    }

    static let palette: [(UInt8, UInt8, UInt8)] = [
        (255, 64, 64), (64, 200, 255), (255, 200, 0), (120, 255, 80), (255, 80, 255), (255, 140, 0), (0, 255, 200),
    ]

    /// Draws `people` onto `rgb`, a `width` × `height` packed RGB24 picture in display orientation.
    public func draw(_ people: [TrackedPerson], on rgb: inout [UInt8], width: Int, height: Int) {
        var canvas = Canvas(width: width, height: height, rgb: rgb)
        let thickness = max(2.0, Double(max(width, height)) / 400)
        for person in people {
            let color = Self.palette[(person.id - 1) % Self.palette.count]
            let box = person.box
            let corners = [Point2(x: box.x, y: box.y), Point2(x: box.x + box.width, y: box.y),
                           Point2(x: box.x + box.width, y: box.y + box.height), Point2(x: box.x, y: box.y + box.height)]
            for i in 0..<4 {
                canvas.line(corners[i], corners[(i + 1) % 4], radius: thickness / 3, color: color)
            }
            for edge in skeleton {
                let a = person.keypoints[edge[0]], b = person.keypoints[edge[1]]
                guard a.score >= minScore, b.score >= minScore else { continue }
                canvas.line(a.point, b.point, radius: thickness, color: color)
            }
            for k in person.keypoints where k.score >= minScore {
                canvas.disc(k.point, radius: thickness * 1.8, color: (255, 255, 255))
                canvas.disc(k.point, radius: thickness * 1.1, color: color)
            }
        }
        rgb = canvas.rgb
    }
}

/// A minimal raster: filled discs and thick lines, drawn as runs of discs.
private struct Canvas {
    let width: Int
    let height: Int
    var rgb: [UInt8]

    mutating func disc(_ c: Point2, radius: Double, color: (UInt8, UInt8, UInt8)) {
        let x0 = max(0, Int((c.x - radius).rounded(.down))), x1 = min(width - 1, Int((c.x + radius).rounded(.up)))
        let y0 = max(0, Int((c.y - radius).rounded(.down))), y1 = min(height - 1, Int((c.y + radius).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) + 0.5 - c.x, dy = Double(y) + 0.5 - c.y
                guard dx * dx + dy * dy <= radius * radius else { continue }
                let i = (y * width + x) * 3
                rgb[i] = color.0
                rgb[i + 1] = color.1
                rgb[i + 2] = color.2
            }
        }
    }

    mutating func line(_ a: Point2, _ b: Point2, radius: Double, color: (UInt8, UInt8, UInt8)) {
        let steps = max(1, Int((a.distance(to: b) / max(radius / 2, 0.5)).rounded(.up)))
        guard steps < 100_000 else { return }
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            disc(Point2(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t), radius: radius, color: color)
        }
    }
}
