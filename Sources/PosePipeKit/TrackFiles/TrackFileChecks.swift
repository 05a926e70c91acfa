/// The rules a track file's lines must keep beyond being JSON of the right shape: what every
/// reader (render, export, plot) relies on, so a hand-edited or damaged file is refused with the
/// line that breaks a rule (65) instead of crashing a reader or exporting nonsense.
enum TrackFileChecks {
    /// The header: a picture size, and a skeleton of pairs of its own keypoints' indices.
    static func check(_ header: TrackHeader, path: String) throws {
        guard header.width > 0, header.height > 0 else {
            throw PosePipeError.badTracks(path: path, reason: "line 1: a frame size of \(header.width)×\(header.height) pixels")
        }
        let indices = 0..<header.keypoints.count
        for pair in header.skeleton where pair.count != 2 || !pair.allSatisfy(indices.contains) {
            throw PosePipeError.badTracks(
                path: path, reason: "line 1: skeleton entry [\(pair.map(String.init).joined(separator: ", "))] is not a pair of the \(header.keypoints.count) keypoints' indices (0 to \(header.keypoints.count - 1))")
        }
    }

    /// A frame line: frame numbers count from 0 with one line each (as every run writes them:
    /// OpenPose's file names, render's frame matching and the plot's timeline rely on it), its PTS
    /// is a finite number, and every person has the header's keypoints.
    static func check(_ frame: TrackFrame, line: Int, expected: Int, header: TrackHeader, path: String) throws {
        guard frame.index == expected else {
            throw PosePipeError.badTracks(
                path: path, reason: "line \(line): frame \(frame.index) where frame \(expected) was expected (frame numbers count from 0, one line per frame)")
        }
        guard frame.pts.isFinite else {
            throw PosePipeError.badTracks(path: path, reason: "line \(line): its pts is not a finite number")
        }
        guard frame.persons.allSatisfy({ $0.keypoints.count == header.keypoints.count }) else {
            throw PosePipeError.badTracks(path: path, reason: "line \(line): a person has not the header's \(header.keypoints.count) keypoints")
        }
    }
}
