/// Writes a track file as one CSV table for pandas and spreadsheets: a header row, then a row
/// per person per frame,
///
///     frame,pts,id,score,nose_x,nose_y,nose_score,…[,right_ankle,left_ankle,…]
///
/// in posepipe's coordinates (those of the track file). Angle columns, in degrees, follow the
/// keypoints when the track file has them (`posepipe --angles`) or when `angles` computes them;
/// an empty cell is a missing value (an angle whose joint was not clear).
public struct CSVExporter {
    /// Computes angles for files that carry none; nil writes only the angles the file has.
    public var angles: JointAngles?

    public init(angles: JointAngles? = nil) {
        self.angles = angles
    }

    public func export(_ reader: any TrackSource, to path: String) throws -> ExportSummary {
        let header = reader.header
        let stored = header.angles
        let angleNames = stored ?? angles?.names ?? []
        let file = try AtomicFile(path: path)
        var summary = ExportSummary(output: path)
        var columns = ["frame", "pts", "id", "score"]
        for name in header.keypoints { columns += [name + "_x", name + "_y", name + "_score"] }
        columns += angleNames
        try file.write(columns.joined(separator: ",") + "\n")
        while let frame = try reader.next() {
            for person in frame.persons.sorted(by: { $0.id < $1.id }) {
                var cells = [String(frame.index), JSONText.number(frame.pts, decimals: 6), String(person.id), Self.cell(person.score, 3)]
                for k in person.keypoints { cells += [Self.cell(k.x, 2), Self.cell(k.y, 2), Self.cell(k.score, 3)] }
                if stored != nil {
                    cells += angleNames.map { Self.cell((person.angles[$0] ?? nil) ?? .nan, 2) }
                } else if let angles {
                    cells += angles.angles(of: person.keypoints).map { Self.cell($0 ?? .nan, 2) }
                }
                try file.write(cells.joined(separator: ",") + "\n")
                summary.records += 1
            }
            summary.frames += 1
        }
        summary.warnings = reader.warnings
        try file.commit()
        return summary
    }

    static func cell(_ value: Double, _ decimals: Int) -> String {
        value.isFinite ? JSONText.number(value, decimals: decimals) : ""
    }
}
