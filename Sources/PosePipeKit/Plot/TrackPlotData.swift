/// What a track plot shows, gathered frame by frame: per id, the stretches of time it is seen,
/// and its chosen joints' x and y and its score as lines broken where it is not seen or a joint
/// is not clear.
struct TrackPlotData {
    /// Indices, in the header's keypoints, of the joints plotted.
    let jointIndex: [Int]
    let clearScore: Double
    private(set) var seen: [Int: [(start: Double, end: Double)]] = [:]
    private(set) var xs: [Int: [TrackPlot.Series]] = [:]
    private(set) var ys: [Int: [TrackPlot.Series]] = [:]
    private(set) var scores: [Int: TrackPlot.Series] = [:]
    /// Every frame's PTS.
    private(set) var times: [Double] = []
    private var lastPresent: Set<Int> = []

    init(jointIndex: [Int], clearScore: Double) {
        self.jointIndex = jointIndex
        self.clearScore = clearScore
    }

    mutating func add(_ frame: TrackFrame) {
        times.append(frame.pts)
        var present: Set<Int> = []
        for person in frame.persons {
            present.insert(person.id)
            add(person, at: frame.pts)
        }
        // Everyone who was there and is gone breaks their lines here.
        for id in lastPresent.subtracting(present) {
            for j in jointIndex.indices {
                xs[id]![j].points.append(nil)
                ys[id]![j].points.append(nil)
            }
            scores[id]!.points.append(nil)
        }
        lastPresent = present
    }

    private mutating func add(_ person: TrackFrame.Person, at pts: Double) {
        let id = person.id
        if lastPresent.contains(id), var runs = seen[id], !runs.isEmpty {
            runs[runs.count - 1].end = pts
            seen[id] = runs
        } else {
            seen[id, default: []].append((pts, pts))
        }
        if xs[id] == nil {
            xs[id] = Array(repeating: TrackPlot.Series(), count: jointIndex.count)
            ys[id] = Array(repeating: TrackPlot.Series(), count: jointIndex.count)
        }
        for (j, k) in jointIndex.enumerated() {
            let kp = person.keypoints[k]
            let clear = kp.score >= clearScore && kp.x.isFinite && kp.y.isFinite
            xs[id]![j].points.append(clear ? (pts, kp.x) : nil)
            ys[id]![j].points.append(clear ? (pts, kp.y) : nil)
        }
        scores[id, default: TrackPlot.Series()].points.append(person.score.isFinite ? (pts, person.score) : nil)
    }
}
