/// Writes a track file as COCO keypoint detection results (the results format of
/// cocodataset.org, as `COCO.loadRes` reads it): one JSON array with an entry per person per frame,
///
///     {"image_id":frame,"category_id":1,"keypoints":[x,y,v,…17×],"score":s,"track_id":id,"keypoint_scores":[…]}
///
/// The 17 COCO keypoints are picked by name from the track's set (BlazePose-33 holds all of them),
/// in COCO's order. `v` is 2 for a clearly seen keypoint (score ≥ `clearScore`), 1 for a guessed
/// one, 0 (at 0,0) for one without a position; COCO's evaluation reads the position only.
/// Coordinates are shifted to COCO's pixel-index convention. `track_id` and `keypoint_scores`
/// are extra fields COCO's tools pass over.
public struct COCOExporter {
    public var clearScore: Double

    public init(clearScore: Double = 0.5) {
        self.clearScore = clearScore
    }

    public func export(_ reader: any TrackSource, to path: String, loader: PipelineLoader = PipelineLoader()) throws -> ExportSummary {
        let coco = try KeypointSetNames.coco17(loader: loader)
        let missing = coco.filter { !reader.header.keypoints.contains($0) }
        guard missing.isEmpty else {
            throw PosePipeError.badTracks(path: reader.path, reason: "its keypoints lack COCO's \(missing.joined(separator: ", "))")
        }
        let picks = coco.map { reader.header.keypoints.firstIndex(of: $0)! }
        let file = try AtomicFile(path: path)
        var summary = ExportSummary(output: path)
        try file.write("[")
        while let frame = try reader.next() {
            for person in frame.persons.sorted(by: { $0.id < $1.id }) {
                try file.write((summary.records == 0 ? "\n" : ",\n") + result(person, frame: frame.index, picks: picks))
                summary.records += 1
            }
            summary.frames += 1
        }
        try file.write("\n]\n")
        summary.warnings = reader.warnings
        try file.commit()
        return summary
    }

    func result(_ p: TrackFrame.Person, frame: Int, picks: [Int]) -> String {
        var flat: [String] = []
        var scores: [String] = []
        for k in picks.map({ p.keypoints[$0] }) {
            let located = k.x.isFinite && k.y.isFinite
            flat += located ? [JSONText.number(k.x + ExportFormat.pixelIndexShift, decimals: 2),
                               JSONText.number(k.y + ExportFormat.pixelIndexShift, decimals: 2),
                               k.score >= clearScore ? "2" : "1"] : ["0", "0", "0"]
            scores.append(JSONText.number(k.score.isFinite ? k.score : 0, decimals: 3))
        }
        return JSONText.object([
            ("image_id", String(frame)), ("category_id", "1"), ("keypoints", JSONText.array(flat)),
            ("score", JSONText.number(p.score.isFinite ? p.score : 0, decimals: 3)), ("track_id", String(p.id)),
            ("keypoint_scores", JSONText.array(scores)),
        ])
    }
}
