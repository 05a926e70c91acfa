import Foundation
import Testing

/// A track file as a reader sees it: every line parsed, checked to end on a newline.
struct TrackFile {
    var header: [String: Any]
    var frames: [[String: Any]]

    init(text: String) throws {
        #expect(text.isEmpty || text.hasSuffix("\n"), "the last line is incomplete")
        var records: [[String: Any]] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            records.append(try #require(record, "not a JSON object: \(line)"))
        }
        header = try #require(records.first, "no header line")
        #expect(header["schema"] as? String == "posepipe.tracks")
        frames = Array(records.dropFirst())
    }

    init(path: String) throws {
        try self.init(text: String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self))
    }

    var frameIndices: [Int] { frames.compactMap { $0["frame"] as? Int } }

    /// Each frame's people's boxes, `[x, y, width, height]`.
    var boxes: [[[Double]]] {
        frames.map { ($0["persons"] as? [[String: Any]] ?? []).compactMap { $0["box"] as? [Double] } }
    }

    /// Every frame line is `{"frame":n,…}` with n counting from 0 without a gap.
    func expectConsecutiveFrames(sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(frameIndices == Array(0..<frames.count), sourceLocation: sourceLocation)
    }

    /// Waits until `file` has at least `lines` lines (a running posepipe writing it); false after `seconds`.
    static func wait(for file: String, lines: Int, seconds: Double = 60) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: file), data.filter({ $0 == UInt8(ascii: "\n") }).count >= lines {
                return true
            }
            usleep(20_000)
        }
        return false
    }
}
