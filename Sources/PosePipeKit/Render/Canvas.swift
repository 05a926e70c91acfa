/// A minimal raster over a packed RGB24 picture: filled discs, thick lines drawn as runs of
/// discs, rectangles and digits, each opaque or blended at an opacity.
struct Canvas {
    let width: Int
    let height: Int
    var rgb: [UInt8]

    /// Fills the pixels whose centres lie within `radius` of `c`.
    mutating func disc(_ c: Point2, radius: Double, color: TrackColors.RGB, opacity: Double = 1) {
        var pixels: [(Int, Int)] = []
        covering(c, radius: radius) { pixels.append(($0, $1)) }
        for (x, y) in pixels { put(x, y, color, opacity) }
    }

    mutating func line(_ a: Point2, _ b: Point2, radius: Double, color: TrackColors.RGB, opacity: Double = 1) {
        // Only the part that can touch the picture is drawn: a joint a track file puts at 1e19 px
        // still gets its bone to the edge, in as many steps as the picture is wide.
        guard let (a, b) = clipped(a, b, margin: radius + 1) else { return }
        let span = (a.distance(to: b) / max(radius / 2, 0.5)).rounded(.up)
        guard span < 100_000 else { return }
        let steps = max(1, Int(span))
        // The discs overlap: each pixel is collected once, so a faint line blends once.
        var covered = Set<Int>()
        for s in 0...steps {
            let t = Double(s) / Double(steps)
            covering(Point2(x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t), radius: radius) { covered.insert($1 * width + $0) }
        }
        for i in covered { put(i % width, i / width, color, opacity) }
    }

    /// The outline of an axis-aligned rectangle.
    mutating func rectangle(_ box: Box, radius: Double, color: TrackColors.RGB) {
        let corners = [Point2(x: box.x, y: box.y), Point2(x: box.x + box.width, y: box.y),
                       Point2(x: box.x + box.width, y: box.y + box.height), Point2(x: box.x, y: box.y + box.height)]
        for i in 0..<4 { line(corners[i], corners[(i + 1) % 4], radius: radius, color: color) }
    }

    /// Fills the pixels of an axis-aligned rectangle given by pixel bounds.
    mutating func fill(x0: Int, y0: Int, x1: Int, y1: Int, color: TrackColors.RGB) {
        for y in max(0, y0)..<min(height, y1) {
            for x in max(0, x0)..<min(width, x1) { put(x, y, color, 1) }
        }
    }

    /// Writes `text` (digits and '#') with its top-left corner at (x, y), each font pixel `scale` wide.
    mutating func text(_ text: String, x: Int, y: Int, scale: Int, color: TrackColors.RGB) {
        var left = x
        for character in text {
            guard let rows = DigitFont.glyph(character) else { continue }
            for (row, bits) in rows.enumerated() {
                for column in 0..<DigitFont.width where bits & (1 << (DigitFont.width - 1 - column)) != 0 {
                    fill(x0: left + column * scale, y0: y + row * scale, x1: left + (column + 1) * scale, y1: y + (row + 1) * scale, color: color)
                }
            }
            left += (DigitFont.width + 1) * scale
        }
    }

    /// The part of segment a–b inside the picture grown by `margin` on every side (Liang and
    /// Barsky's clipping), nil when no part is, or when an end is not a finite point.
    private func clipped(_ a: Point2, _ b: Point2, margin: Double) -> (Point2, Point2)? {
        let dx = b.x - a.x, dy = b.y - a.y
        guard a.x.isFinite, a.y.isFinite, dx.isFinite, dy.isFinite else { return nil }
        var enter = 0.0, leave = 1.0
        for (p, q) in [(-dx, a.x + margin), (dx, Double(width) + margin - a.x), (-dy, a.y + margin), (dy, Double(height) + margin - a.y)] {
            if p == 0 {
                if q < 0 { return nil }
                continue
            }
            let t = q / p
            if p < 0 { enter = max(enter, t) } else { leave = min(leave, t) }
            if enter > leave { return nil }
        }
        return (Point2(x: a.x + enter * dx, y: a.y + enter * dy), Point2(x: a.x + leave * dx, y: a.y + leave * dy))
    }

    /// Calls `visit` with each pixel (x, y) whose centre lies within `radius` of `c`.
    private func covering(_ c: Point2, radius: Double, _ visit: (Int, Int) -> Void) {
        guard c.x.isFinite, c.y.isFinite, radius.isFinite else { return }
        // Bounds are clamped to the picture before they become Ints: a point far outside it is
        // a finite Double no Int can hold.
        let left = max(0, (c.x - radius).rounded(.down)), right = min(Double(width - 1), (c.x + radius).rounded(.up))
        let top = max(0, (c.y - radius).rounded(.down)), bottom = min(Double(height - 1), (c.y + radius).rounded(.up))
        guard left <= right, top <= bottom else { return }
        let x0 = Int(left), x1 = Int(right), y0 = Int(top), y1 = Int(bottom)
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) + 0.5 - c.x, dy = Double(y) + 0.5 - c.y
                if dx * dx + dy * dy <= radius * radius { visit(x, y) }
            }
        }
    }

    private mutating func put(_ x: Int, _ y: Int, _ color: TrackColors.RGB, _ opacity: Double) {
        let i = (y * width + x) * 3
        if opacity >= 1 {
            rgb[i] = color.r
            rgb[i + 1] = color.g
            rgb[i + 2] = color.b
        } else {
            rgb[i] = UInt8((Double(rgb[i]) * (1 - opacity) + Double(color.r) * opacity).rounded())
            rgb[i + 1] = UInt8((Double(rgb[i + 1]) * (1 - opacity) + Double(color.g) * opacity).rounded())
            rgb[i + 2] = UInt8((Double(rgb[i + 2]) * (1 - opacity) + Double(color.b) * opacity).rounded())
        }
    }
}
