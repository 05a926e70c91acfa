/// Reads a track file's header and frame records (README, "Output format") field by field from a
/// `JSONLineScanner`: keypoints go straight into `Keypoint`s, unknown fields are skipped, and a
/// field of the wrong type, or a required one missing, fails the line.
struct TrackLineParser {
    let scanner: JSONLineScanner

    /// A required field was missing or held the wrong kind of value.
    struct Missing: Error {}

    func header() throws -> TrackHeader {
        var schema: String?, version: Int?, source: String?, width: Int?, height: Int?, fps: Double?
        var duration: Double?, rotation: Int?, pipeline: String?, keypoints: [String]?, skeleton: [[Int]]?, angles: [String]?
        try scanner.object { key in
            switch key {
            case "schema": schema = try scanner.string()
            case "version": version = try scanner.integer()
            case "source": source = try scanner.string()
            case "width": width = try scanner.integer()
            case "height": height = try scanner.integer()
            case "fps": fps = try scanner.number()
            case "duration": duration = try scanner.optionalNumber()
            case "rotation": rotation = try scanner.integer()
            case "pipeline": pipeline = try scanner.string()
            case "keypoints": keypoints = try strings()
            case "skeleton": skeleton = try skeletonPairs()
            case "angles": angles = try scanner.acceptNull() ? nil : try strings()
            default: try scanner.skipValue()
            }
        }
        guard let schema, let version, let source, let width, let height, let fps, let rotation, let pipeline,
              let keypoints, let skeleton else { throw Missing() }
        var header = TrackHeader(source: source, width: width, height: height, fps: fps, duration: duration, rotation: rotation,
                                 pipeline: pipeline, keypoints: keypoints, skeleton: skeleton, angles: angles)
        header.schema = schema
        header.version = version
        return header
    }

    func frame() throws -> TrackFrame {
        var index: Int?, pts: Double?, persons: [TrackFrame.Person]?, skipped = false
        try scanner.object { key in
            switch key {
            case "frame": index = try scanner.integer()
            case "pts": pts = try scanner.number()
            case "skipped": skipped = try scanner.boolean()
            case "persons":
                var people: [TrackFrame.Person] = []
                try scanner.array { people.append(try person()) }
                persons = people
            default: try scanner.skipValue()
            }
        }
        guard let index, let pts, let persons else { throw Missing() }
        var frame = TrackFrame(index: index, pts: pts, persons: persons)
        frame.skipped = skipped
        return frame
    }

    private func person() throws -> TrackFrame.Person {
        var id: Int?, score = Double.nan, box: [Double] = [], keypoints: [Keypoint]?, angles: [String: Double?] = [:]
        try scanner.object { key in
            switch key {
            case "id": id = try scanner.integer()
            // The writer turns a non-finite number into null; it comes back as NaN.
            case "score": score = try scanner.optionalNumber() ?? .nan
            case "box":
                if try !scanner.acceptNull() { box = try numbers() }
            case "keypoints":
                var all: [Keypoint] = []
                try scanner.array { all.append(try keypoint()) }
                keypoints = all
            case "angles":
                if try !scanner.acceptNull() {
                    try scanner.object { name in angles[name] = .some(try scanner.optionalNumber()) }
                }
            default: try scanner.skipValue()
            }
        }
        guard let id, let keypoints else { throw Missing() }
        return TrackFrame.Person(id: id, score: score, box: box, keypoints: keypoints, angles: angles)
    }

    /// `[x, y, score]`, each possibly null (no position); missing entries read as NaN.
    private func keypoint() throws -> Keypoint {
        var values = (Double.nan, Double.nan, Double.nan)
        var count = 0
        try scanner.array {
            let value = try scanner.optionalNumber() ?? .nan
            switch count {
            case 0: values.0 = value
            case 1: values.1 = value
            case 2: values.2 = value
            default: break
            }
            count += 1
        }
        return Keypoint(x: values.0, y: values.1, score: values.2)
    }

    private func numbers() throws -> [Double] {
        var values: [Double] = []
        try scanner.array { values.append(try scanner.optionalNumber() ?? .nan) }
        return values
    }

    private func strings() throws -> [String] {
        var values: [String] = []
        try scanner.array { values.append(try scanner.string()) }
        return values
    }

    private func skeletonPairs() throws -> [[Int]] {
        var pairs: [[Int]] = []
        try scanner.array {
            var pair: [Int] = []
            try scanner.array {
                // More than a pair is wrong anyway; the reader says so without holding a long list.
                let index = try scanner.integer()
                if pair.count < 3 { pair.append(index) }
            }
            pairs.append(pair)
        }
        return pairs
    }
}
