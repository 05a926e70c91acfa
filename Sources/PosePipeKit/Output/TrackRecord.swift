/// The JSON Lines track format: a header line, then one line per decoded frame.
/// The README's "Output format" section documents every field.
public enum TrackRecord {
    public static let schema = "posepipe.tracks"
    public static let version = 1

    /// The first line: what the following lines describe; `angles` names the angles every
    /// person record carries, when they do.
    public static func header(info: VideoInfo, pipeline: PipelineDescription, angles: [String]? = nil) -> String {
        var fields: [(String, String)] = [
            ("schema", JSONText.string(schema)),
            ("version", String(version)),
            ("source", JSONText.string(info.source)),
            ("width", String(info.width)),
            ("height", String(info.height)),
            ("fps", JSONText.number(info.fps, decimals: 3)),
            ("duration", info.duration.map { JSONText.number($0, decimals: 3) } ?? "null"),
            ("rotation", String(info.orientation.rawValue)),
            ("pipeline", JSONText.string(pipeline.name)),
            ("coordinates", JSONText.string("pixels of the displayed frame; (0,0) is the top-left corner, pixel centres at +0.5")),
            ("keypoints", JSONText.array(pipeline.keypoints.keypoints.map(JSONText.string))),
            ("skeleton", JSONText.array(pipeline.keypoints.skeleton.map { JSONText.array($0.map(String.init)) })),
        ]
        if let angles { fields.append(("angles", JSONText.array(angles.map(JSONText.string)))) }
        return JSONText.object(fields)
    }

    /// One frame's line; `angles`, when given, holds each person's named angles in degrees.
    public static func frame(index: Int, pts: Double, people: [TrackedPerson], angles: [[(name: String, degrees: Double?)]]? = nil) -> String {
        JSONText.object([
            ("frame", String(index)),
            ("pts", JSONText.number(pts, decimals: 6)),
            ("persons", JSONText.array(people.indices.map { person(people[$0], angles: angles?[$0]) })),
        ])
    }

    /// The line of a live source's frame skipped to keep within `--max-latency`: its place and time,
    /// `"skipped":true`, and no people, since nobody looked for them.
    public static func skipped(index: Int, pts: Double) -> String {
        JSONText.object([
            ("frame", String(index)),
            ("pts", JSONText.number(pts, decimals: 6)),
            ("skipped", "true"),
            ("persons", "[]"),
        ])
    }

    static func person(_ p: TrackedPerson, angles: [(name: String, degrees: Double?)]? = nil) -> String {
        let box = p.box
        var fields: [(String, String)] = [
            ("id", String(p.id)),
            ("score", JSONText.number(p.score, decimals: 3)),
            ("box", JSONText.array([box.x, box.y, box.width, box.height].map { JSONText.number($0, decimals: 1) })),
            ("keypoints", JSONText.array(p.keypoints.map { k in
                JSONText.array([JSONText.number(k.x, decimals: 2), JSONText.number(k.y, decimals: 2), JSONText.number(k.score, decimals: 3)])
            })),
        ]
        if let angles {
            fields.append(("angles", JSONText.object(angles.map { ($0.name, $0.degrees.map { JSONText.number($0, decimals: 2) } ?? "null") })))
        }
        return JSONText.object(fields)
    }
}
