import Foundation

/// Just enough SVG for the track plot: panels with labelled axes, bars, broken polylines and text.
struct SVGDocument {
    let width: Double
    private var body: [String] = []

    init(width: Double) {
        self.width = width
    }

    /// `text` as XML character data: markup escaped, and the characters XML 1.0 cannot hold at
    /// all (controls other than tab, newline and return; U+FFFE, U+FFFF) written as the terminal's
    /// escapes (`\x1b`), so a track file's `source` can never make the SVG unreadable.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in FileName.readable(text).unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20: out += TerminalText.escaped(String(scalar))
            case "\u{FFFE}", "\u{FFFF}": out += "\\u{" + String(scalar.value, radix: 16) + "}"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func n(_ value: Double) -> String { JSONText.number(value, decimals: 2) }

    private static func attributes(_ data: [String: String]) -> String {
        data.keys.sorted().map { " data-\($0)=\"\(escape(data[$0]!))\"" }.joined()
    }

    mutating func text(_ text: String, x: Double, y: Double, className: String, anchor: String = "start", size: Double? = nil) {
        let font = size.map { " font-size=\"\(Self.n($0))\"" } ?? ""
        body.append("<text class=\"\(className)\" x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor)\"\(font)>\(Self.escape(text))</text>")
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, data: [String: String]) {
        body.append("<rect x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" fill=\"\(fill)\"\(Self.attributes(data))/>")
    }

    /// Opens a framed panel's group — title, time ticks along the bottom, value ticks on the
    /// left — for its data to follow; `endPanel` closes it.
    mutating func panel(id: String, title: String, top: Double, bottom: Double, left: Double, right: Double,
                        xAxis: AxisScale, yAxis: AxisScale?, yLabel: String) {
        body.append("<g id=\"\(id)\">")
        body.append("<rect x=\"\(Self.n(left))\" y=\"\(Self.n(top))\" width=\"\(Self.n(right - left))\" height=\"\(Self.n(bottom - top))\" fill=\"none\" stroke=\"#888\"/>")
        text(title, x: left, y: top - 8, className: "panel-title", size: 13)
        let xTicks = xAxis.ticks(count: 10)
        let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
        for tick in xTicks {
            let x = xAxis(tick)
            body.append("<line x1=\"\(Self.n(x))\" y1=\"\(Self.n(bottom))\" x2=\"\(Self.n(x))\" y2=\"\(Self.n(bottom + 4))\" stroke=\"#888\"/>")
            text(AxisScale.label(tick, step: xStep), x: x, y: bottom + 16, className: "tick-x", anchor: "middle")
        }
        text("time (s)", x: right, y: bottom + 30, className: "axis-label", anchor: "end")
        if let yAxis {
            let yTicks = yAxis.ticks(count: 4)
            let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
            for tick in yTicks {
                let y = yAxis(tick)
                body.append("<line x1=\"\(Self.n(left))\" y1=\"\(Self.n(y))\" x2=\"\(Self.n(right))\" y2=\"\(Self.n(y))\" stroke=\"#ddd\"/>")
                text(AxisScale.label(tick, step: yStep), x: left - 6, y: y + 4, className: "tick-y", anchor: "end")
            }
        }
        let middle = Self.n((top + bottom) / 2)
        body.append("<text class=\"axis-label\" x=\"14\" y=\"\(middle)\" transform=\"rotate(-90 14 \(middle))\" text-anchor=\"middle\">\(Self.escape(yLabel))</text>")
    }

    mutating func endPanel() { body.append("</g>") }

    /// One `<polyline>` per unbroken stretch of `points`.
    mutating func polylines(_ points: [(t: Double, value: Double)?], x: AxisScale, y: AxisScale, stroke: String, dash: String?,
                            data: [String: String]) {
        var stretch: [String] = []
        func flush() {
            if !stretch.isEmpty {
                let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
                body.append("<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"1.5\"\(dashing)\(Self.attributes(data)) points=\"\(stretch.joined(separator: " "))\"/>")
            }
            stretch = []
        }
        for point in points {
            guard let point else {
                flush()
                continue
            }
            stretch.append(Self.n(x(point.t)) + "," + Self.n(y(point.value)))
        }
        flush()
    }

    mutating func legendLine(x: Double, y: Double, dash: String?, label: String) {
        let dashing = dash.map { " stroke-dasharray=\"\($0)\"" } ?? ""
        body.append("<line x1=\"\(Self.n(x))\" y1=\"\(Self.n(y - 4))\" x2=\"\(Self.n(x + 40))\" y2=\"\(Self.n(y - 4))\" stroke=\"#333\" stroke-width=\"1.5\"\(dashing)/>")
        text(label, x: x + 48, y: y, className: "legend")
    }

    func finished(height: Double) -> String {
        let size = "width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\""
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" \(size) font-family=\"sans-serif\" font-size=\"11\">\n"
            + "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n" + body.joined(separator: "\n") + "\n</svg>\n"
    }
}
