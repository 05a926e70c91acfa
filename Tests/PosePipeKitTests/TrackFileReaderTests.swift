import Foundation
import Testing
@testable import PosePipeKit

/// Track files as the readers of render, export and plot meet them: streamed, bounded, checked
/// line by line, from files and from pipes.
@Suite struct TrackFileReaderTests {
    let folder = Fixtures.scratch()
    var file: String { folder.appendingPathComponent("t.jsonl").path }

    static let header = #"{"schema":"posepipe.tracks","version":1,"source":"c.mp4","width":64,"height":48,"fps":30,"duration":null,"rotation":0,"pipeline":"p","keypoints":["a","b"],"skeleton":[[0,1]]}"#

    static func frame(_ index: Int, pts: Double? = nil) -> String {
        #"{"frame":\#(index),"pts":\#(pts ?? Double(index) / 30),"persons":[{"id":1,"score":0.9,"box":[1,2,3,4],"keypoints":[[1,2,0.9],[3,4,0.8]]}]}"#
    }

    func write(_ lines: [String]) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
    }

    func failure(_ lines: [String]) throws -> String? {
        defer { try? FileManager.default.removeItem(atPath: file) }
        try write(lines)
        do {
            _ = try TrackFileReader(path: file).readAll()
            return nil
        } catch let error as PosePipeError {
            return error.description
        }
    }

    /// The issue's /dev/zero: read whole (4.1 GB) before being called empty. Now its first byte ends it.
    @Test func aStreamWithoutANewlineFailsAtItsFirstByte() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let started = Date()
        #expect(throws: PosePipeError.badTracks(path: "/dev/zero", reason: "line 1 is not a posepipe.tracks header")) {
            try TrackFileReader(path: "/dev/zero")
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aLineLongerThanTheLimitIsRefusedWithoutBeingHeld() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        // 300 KB of spaces inside a frame line: valid JSON, but over a 64 KB limit.
        try write([Self.header, #"{"frame":0,"pts":0,"persons":["# + String(repeating: " ", count: 300_000) + "]}"])
        #expect(throws: PosePipeError.badTracks(path: file, reason: "line 2 is longer than 65536 bytes")) {
            _ = try TrackFileReader(path: file, lineLimit: 1 << 16).readAll()
        }
        #expect(try TrackFileReader(path: file).readAll().count == 1, "the default limit takes it")
    }

    /// Duplicate, negative, huge and out-of-order frame numbers were exported with exit 0 (or 73 for
    /// a duplicate); each is now the line that breaks the count.
    @Test func frameNumbersCountFromZeroOneLineEach() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let rule = "(frame numbers count from 0, one line per frame)"
        #expect(try failure([Self.header, Self.frame(0), Self.frame(1), Self.frame(2)]) == nil)
        #expect(try failure([Self.header, Self.frame(0), Self.frame(0)]) == "track file \(file): line 3: frame 0 where frame 1 was expected \(rule)")
        #expect(try failure([Self.header, Self.frame(-1)]) == "track file \(file): line 2: frame -1 where frame 0 was expected \(rule)")
        #expect(try failure([Self.header, Self.frame(0), Self.frame(Int.max)])
            == "track file \(file): line 3: frame 9223372036854775807 where frame 1 was expected \(rule)")
        #expect(try failure([Self.header, Self.frame(1), Self.frame(0)]) == "track file \(file): line 2: frame 1 where frame 0 was expected \(rule)")
        #expect(try failure([Self.header, #"{"frame":0.5,"pts":0,"persons":[]}"#]) == "track file \(file): line 2 is not a frame record")
        #expect(try failure([Self.header, #"{"frame":0,"pts":1e999,"persons":[]}"#]) == "track file \(file): line 2: its pts is not a finite number")
    }

    /// Skeleton pairs out of range, negative or of one element crashed render's SkeletonRenderer.
    @Test func theSkeletonJoinsPairsOfTheHeadersKeypoints() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        for (pairs, shown) in [("[[0,1],[0,99]]", "[0, 99]"), ("[[-1,0]]", "[-1, 0]"), ("[[1]]", "[1]"), ("[[0,1,1]]", "[0, 1, 1]")] {
            let header = Self.header.replacingOccurrences(of: #""skeleton":[[0,1]]"#, with: #""skeleton":"# + pairs)
            #expect(try failure([header, Self.frame(0)])
                == "track file \(file): line 1: skeleton entry \(shown) is not a pair of the 2 keypoints' indices (0 to 1)")
        }
        let flat = Self.header.replacingOccurrences(of: #""width":64"#, with: #""width":0"#)
        #expect(try failure([flat]) == "track file \(file): line 1: a frame size of 0×48 pixels")
    }

    /// The streaming parser reads what a JSON reader reads: escapes, nulls, unknown fields of any
    /// shape, whole numbers written as decimals, and spaces around everything.
    @Test func valuesAreReadAsAJSONReaderReadsThem() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = #" { "extra" : {"deep":[[1,{"x":null}],true,false,"\"}"]}, "schema":"posepipe.tracks","version":1.0,"source":"caf\u00e9 \ud83c\udfa5 \"q\"\n\t\\","width":64,"height":48,"fps":29.97,"rotation":0,"pipeline":"p","keypoints":["a","b"],"skeleton":[ [ 0 , 1 ] ],"angles":["knee"]} "#
        let frame = #"{"persons":[{"keypoints":[[1.25e2,-0.5,null],[null,null,0.1]],"id":-9223372036854775808,"score":null,"angles":{"knee":12.5,"hip":null},"more":[]}],"frame":0,"pts":-0.0}"#
        try write([header, frame])
        let reader = try TrackFileReader(path: file)
        #expect(reader.header.source == "café 🎥 \"q\"\n\t\\")
        #expect(reader.header.fps == 29.97 && reader.header.duration == nil && reader.header.angles == ["knee"])
        let person = try #require(try reader.readAll().first?.persons.first)
        #expect(person.id == Int.min)
        #expect(person.score.isNaN && person.box.isEmpty)
        #expect(person.keypoints[0].x == 125 && person.keypoints[0].y == -0.5 && person.keypoints[0].score.isNaN)
        #expect(person.keypoints[1].x.isNaN && person.keypoints[1].score == 0.1)
        #expect(person.angles["knee"] == .some(12.5) && person.angles["hip"] == .some(nil))
    }

    /// Every number the writer can write reads back as the Double Swift's own parser gives.
    @Test func numbersReadExactly() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = Double.random(in: -5000...5000, using: &generator)
            for text in [JSONText.number(value, decimals: 2), JSONText.number(value, decimals: 6), String(value), "\(value)e-3"] {
                let parsed = JSONNumber(Array(text.utf8))
                #expect(parsed?.double == Double(text), "\(text)")
            }
        }
        #expect(JSONNumber(Array("-9223372036854775808".utf8))?.integer == Int.min)
        #expect(JSONNumber(Array("9223372036854775808".utf8))?.integer == nil)
        #expect(JSONNumber(Array("12.0".utf8))?.integer == 12)
        #expect(JSONNumber(Array("1e999".utf8))?.double == .infinity)
        for bad in ["01", "1.", ".5", "-", "+1", "1e", "1.5.2", "--1", ""] {
            #expect(JSONNumber(Array(bad.utf8)) == nil, "\(bad)")
        }
    }

    /// A named pipe is read once, front to back, its writer coming after the reader opened it.
    @Test func aNamedPipeIsReadOnceAsItsWriterWritesIt() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(file, 0o644) == 0)
        let lines = [Self.header] + (0..<300).map { Self.frame($0) }
        let path = file
        Thread {
            usleep(300_000)
            try? Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        }.start()
        let reader = try TrackFileReader(path: file)
        #expect(!reader.isRegularFile)
        #expect(try reader.readAll().map(\.index) == Array(0..<300))
        #expect(TrackFileReader.frameLines(in: file) == nil, "a pipe is never read a second time")
    }

    /// A named pipe nobody writes to blocked open() with Ctrl-C ignored; a stop request now ends the wait.
    @Test func aStopRequestEndsTheWaitForAPipesWriter() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(mkfifo(file, 0o644) == 0)
        let started = Date()
        #expect(throws: PosePipeError.interrupted) {
            try TrackFileReader(path: file, shouldStop: { Date().timeIntervalSince(started) > 0.3 })
        }
        #expect(Date().timeIntervalSince(started) < 3)
    }
}
