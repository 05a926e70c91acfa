import Foundation

/// A linear map from data values to SVG coordinates, with round-numbered ticks.
struct AxisScale {
    var lower: Double
    var upper: Double
    /// SVG coordinates of `lower` and `upper` (the second may be smaller: y grows down).
    var from: Double
    var to: Double

    init(lower: Double, upper: Double, from: Double, to: Double) {
        self.lower = lower
        // lower + 1 is lower itself past 2^53: the range must still have a width.
        self.upper = upper > lower ? upper : max(lower + 1, lower.nextUp)
        self.from = from
        self.to = to
    }

    func callAsFunction(_ value: Double) -> Double {
        from + (value - lower) / (upper - lower) * (to - from)
    }

    /// Ticks at multiples of 1, 2 or 5 × 10ⁿ, at most about `count` of them, inside the range.
    /// Each tick is computed from its index, never by adding steps: a step below the values'
    /// resolution (PTS of 1e17 s two seconds apart) would add nothing, forever.
    func ticks(count: Int = 6) -> [Double] {
        let raw = (upper - lower) / Double(max(1, count))
        guard raw.isFinite, raw > 0 else { return [lower] }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        let first = (lower / step).rounded(.up) * step
        let span = ((upper - first) / step + 1e-9).rounded(.down)
        guard step > 0, first.isFinite, span.isFinite, span >= 0, span <= Double(4 * max(1, count)) else { return [lower] }
        var ticks: [Double] = []
        for index in 0...Int(span) {
            let value = first + Double(index) * step
            // Ticks the Double cannot tell apart are one tick.
            if let last = ticks.last, value <= last { continue }
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
        }
        return ticks
    }

    /// A tick's label: as few decimals as the step needs.
    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        return JSONText.number(value, decimals: decimals)
    }
}
