import Foundation

/// `posepipe plot`: a track file at a glance, as one SVG. Four panels share a time axis in
/// seconds (each frame at its PTS): when each id is seen, the x and the y of chosen joints in
/// pixels (y down, as in the picture), and each person's score. One colour per id (the overlay's),
/// one dash pattern per joint; a line breaks where the person is not seen or the joint is not clear.
///
/// Every data line is a `<polyline>` with `data-id` and `data-joint` (or `data-series="score"`),
/// every timeline bar a `<rect>` with `data-id`, every tick label a `<text class="tick-x">` or
/// `"tick-y"` at its tick's position, so the picture can be read back by a program.
public struct TrackPlot {
    public var joints: [String]
    public var clearScore: Double

    public init(joints: [String], clearScore: Double = 0.5) {
        self.joints = joints
        self.clearScore = clearScore
    }

    /// Joints plotted when none are asked for: the wrists' and ankles' first of each.
    public static let defaultJoints = ["left_wrist", "right_ankle"]

    /// One line of points, broken where `nil`.
    struct Series {
        var points: [(t: Double, value: Double)?] = []
    }

    /// What the panels draw, gathered frame by frame: per id the runs of frames it is seen in, and
    /// per joint its x and y, and its score, each as lines broken where it is not seen or not clear.
    struct Tracks {
        var times: [Double] = []
        var seen: [Int: [(start: Double, end: Double)]] = [:]
        var xs: [Int: [Series]] = [:], ys: [Int: [Series]] = [:], scores: [Int: Series] = [:]
        private var lastPresent: Set<Int> = []
        /// Keypoint indices of the plotted joints.
        let jointIndex: [Int]
        let clearScore: Double

        init(jointIndex: [Int], clearScore: Double) {
            self.jointIndex = jointIndex
            self.clearScore = clearScore
        }

        var ids: [Int] { seen.keys.sorted() }

        mutating func add(_ frame: TrackFrame) {
            times.append(frame.pts)
            var present: Set<Int> = []
            for person in frame.persons {
                present.insert(person.id)
                let id = person.id
                if lastPresent.contains(id), var runs = seen[id], !runs.isEmpty {
                    runs[runs.count - 1].end = frame.pts
                    seen[id] = runs
                } else {
                    seen[id, default: []].append((frame.pts, frame.pts))
                }
                var x = xs[id] ?? Array(repeating: Series(), count: jointIndex.count)
                var y = ys[id] ?? Array(repeating: Series(), count: jointIndex.count)
                for (j, k) in jointIndex.enumerated() {
                    let kp = person.keypoints[k]
                    let clear = kp.score >= clearScore && kp.x.isFinite && kp.y.isFinite
                    x[j].points.append(clear ? (frame.pts, kp.x) : nil)
                    y[j].points.append(clear ? (frame.pts, kp.y) : nil)
                }
                xs[id] = x
                ys[id] = y
                scores[id, default: Series()].points.append(person.score.isFinite ? (frame.pts, person.score) : nil)
            }
            // An id not seen in this frame breaks its lines here.
            for id in lastPresent.subtracting(present) {
                for j in jointIndex.indices {
                    xs[id]?[j].points.append(nil)
                    ys[id]?[j].points.append(nil)
                }
                scores[id]?.points.append(nil)
            }
            lastPresent = present
        }
    }

    public func write(_ reader: TrackFileReader, to path: String) throws -> ExportSummary {
        let header = reader.header
        let missing = joints.filter { !header.keypoints.contains($0) }
        guard missing.isEmpty else {
            throw PosePipeError.badUsage("--joints: \(missing.joined(separator: ", ")) not among \(reader.path)'s keypoints (\(header.keypoints.joined(separator: ", ")))")
        }
        var tracks = Tracks(jointIndex: joints.compactMap { header.keypoints.firstIndex(of: $0) }, clearScore: clearScore)
        while let frame = try reader.next() { tracks.add(frame) }
        let file = try AtomicFile(path: path)
        try file.write(draw(tracks, header: header))
        try file.commit()
        var summary = ExportSummary(output: path)
        summary.frames = tracks.times.count
        summary.records = tracks.ids.count
        summary.warnings = reader.warnings
        return summary
    }

    /// The SVG of `tracks`: title, timeline, the joints' x and y, the scores, the legend.
    func draw(_ tracks: Tracks, header: TrackHeader) -> String {
        let ids = tracks.ids
        let start = tracks.times.min() ?? 0, end = max(tracks.times.max() ?? 1, start + 1e-3)
        var svg = SVGDocument(width: 1000)
        let left = 70.0, right = 980.0
        let time = AxisScale(lower: start, upper: end, from: left, to: right)
        svg.text("\(header.source) — \(header.pipeline), \(tracks.times.count) frames, \(ids.count) ids", x: left, y: 24, className: "title", size: 15)

        // Timeline: a row per id.
        let rowHeight = 16.0
        var top = 50.0
        let timelineBottom = top + max(1, Double(ids.count)) * rowHeight + 8
        svg.panel(id: "timeline", title: "seen (id per row)", top: top, bottom: timelineBottom, left: left, right: right,
                  xAxis: time, yAxis: nil, yLabel: "id")
        for (row, id) in ids.enumerated() {
            let y = top + 4 + Double(row) * rowHeight
            svg.text("#\(id)", x: left - 8, y: y + rowHeight - 5, className: "id-label", anchor: "end")
            for run in tracks.seen[id] ?? [] {
                // A run seen in one frame still gets a visible sliver.
                let x0 = time(run.start), width = max(time(run.end) - x0, 1.5)
                svg.rect(x: x0, y: y, width: width, height: rowHeight - 4, fill: TrackColors.color(for: id).hex, data: ["id": String(id)])
            }
        }
        svg.endPanel()
        top = timelineBottom + 60

        let panelHeight = 170.0
        for (name, axis, series, limit) in [("x", "x (px)", tracks.xs, Double(header.width)), ("y", "y (px, down)", tracks.ys, Double(header.height))] {
            let bottom = top + panelHeight
            let values = AxisScale(lower: 0, upper: limit, from: name == "y" ? top : bottom, to: name == "y" ? bottom : top)
            svg.panel(id: name, title: "\(name) of \(joints.joined(separator: ", "))", top: top, bottom: bottom, left: left, right: right,
                      xAxis: time, yAxis: values, yLabel: axis)
            for id in ids {
                for (j, joint) in joints.enumerated() {
                    svg.polylines(series[id]?[j].points ?? [], x: time, y: values, stroke: TrackColors.color(for: id).hex,
                                  dash: Self.dash(j), data: ["id": String(id), "joint": joint])
                }
            }
            svg.endPanel()
            top = bottom + 60
        }
        let bottom = top + 120
        let scoreAxis = AxisScale(lower: 0, upper: 1, from: bottom, to: top)
        svg.panel(id: "score", title: "person score", top: top, bottom: bottom, left: left, right: right,
                  xAxis: time, yAxis: scoreAxis, yLabel: "score")
        for id in ids {
            svg.polylines(tracks.scores[id]?.points ?? [], x: time, y: scoreAxis, stroke: TrackColors.color(for: id).hex, dash: nil,
                          data: ["id": String(id), "series": "score"])
        }
        svg.endPanel()
        var legendY = bottom + 50
        for (j, joint) in joints.enumerated() {
            svg.legendLine(x: left, y: legendY, dash: Self.dash(j), label: joint)
            legendY += 16
        }
        return svg.finished(height: legendY + 10)
    }

    static func dash(_ joint: Int) -> String? {
        [nil, "7,4", "2,3", "9,3,2,3"][joint % 4]
    }
}
