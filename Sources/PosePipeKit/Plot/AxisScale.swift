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
        self.upper = upper > lower ? upper : lower + 1
        self.from = from
        self.to = to
    }

    func callAsFunction(_ value: Double) -> Double {
        from + (value - lower) / (upper - lower) * (to - from)
    }

    /// Ticks at multiples of 1, 2 or 5 × 10ⁿ, at most about `count` of them, inside the range.
    func ticks(count: Int = 6) -> [Double] {
        let raw = (upper - lower) / Double(max(1, count))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? 10 * magnitude
        var ticks: [Double] = []
        var value = (lower / step).rounded(.up) * step
        while value <= upper + step * 1e-9 {
            ticks.append(abs(value) < step * 1e-9 ? 0 : value)
            value += step
        }
        return ticks
    }

    /// A tick's label: as few decimals as the step needs.
    static func label(_ value: Double, step: Double) -> String {
        let decimals = max(0, Int((-log10(step)).rounded(.up)))
        return JSONText.number(value, decimals: decimals)
    }
}
