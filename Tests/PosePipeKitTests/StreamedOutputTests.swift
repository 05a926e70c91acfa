import Foundation
import Testing
@testable import PosePipeKit

/// The output rule's one implementation, without running a model: `StreamedOutput` (and the
/// `AtomicFile` built on it), and the track commands' writers fed from memory (`TrackFrames`).
@Suite struct StreamedOutputTests {
    let folder = Fixtures.scratch()
    var victim: String { folder.path + "/victim" }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func temporaries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".tmp") }
    }

    @Test func aFileTakesTheNameWhenPublishedAndOnlyThen() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        let path = folder.path + "/out"
        #expect(link(victim, path) == 0)
        let kept = try StreamedOutput(path: path)
        try kept.writeAll(Data("never published\n".utf8))
        try kept.close()
        #expect(contents(path) == "precious\n", "closed unpublished: the name keeps what it had")
        #expect(try temporaries().isEmpty)

        let output = try StreamedOutput(path: path)
        try output.writeAll(Data("new\n".utf8))
        try output.publish()
        try output.writeAll(Data("more\n".utf8))
        try output.close()
        #expect(contents(path) == "new\nmore\n")
        #expect(contents(victim) == "precious\n", "the other hard link keeps its content")
        #expect(try temporaries().isEmpty)
    }

    @Test func linksFoldersAndUnreadPipesAreRefusedUntouched() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
        let link = folder.path + "/link", pipe = folder.path + "/pipe"
        #expect(symlink(victim, link) == 0 && mkfifo(pipe, 0o644) == 0)
        #expect(throws: PosePipeError.outputUnwritable(path: link, reason: "is a symbolic link; posepipe replaces only regular files")) {
            try StreamedOutput(path: link)
        }
        #expect(throws: PosePipeError.outputUnwritable(path: link, reason: "is a symbolic link; posepipe replaces only regular files")) {
            try AtomicFile(path: link)
        }
        #expect(throws: PosePipeError.outputUnwritable(path: folder.path, reason: "Is a directory")) { try StreamedOutput(path: folder.path) }
        let started = Date()
        #expect(throws: PosePipeError.outputUnwritable(path: pipe, reason: "a named pipe that nobody is reading; start its reader first")) {
            try StreamedOutput(path: pipe)
        }
        #expect(Date().timeIntervalSince(started) < 2, "the open does not wait for a reader")
        #expect(throws: PosePipeError.outputUnwritable(path: pipe, reason: "not a regular file; posepipe replaces only regular files")) {
            try AtomicFile(path: pipe)
        }
        #expect(contents(victim) == "precious\n")
        #expect(try temporaries().isEmpty)
    }

    @Test func aDeviceIsAStream() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let null = try StreamedOutput(path: "/dev/null")
        #expect(!null.isRegularFile && null.temporaryPath == nil)
        try null.writeAll(Data("x\n".utf8))
        try null.close()
        let full = try StreamedOutput(path: "/dev/full")
        #expect(throws: PosePipeError.outputUnwritable(path: "/dev/full", reason: "No space left on device")) { try full.writeAll(Data("x".utf8)) }
        #expect(throws: PosePipeError.outputUnwritable(path: "/dev/null", reason: "not a regular file; posepipe replaces only regular files")) {
            try AtomicFile(path: "/dev/null")
        }
    }

    /// Values at the edge of what a track file holds go through every writer; a broken count does not.
    @Test func trackWritersTakeAnyFrameTheRulesAllow() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let header = TrackHeader(source: "c\u{1}.mp4", width: 64, height: 48, fps: 30, duration: nil, pipeline: "p",
                                 keypoints: ["left_wrist", "right_ankle"], skeleton: [[0, 1]])
        let far = TrackFrame.Person(id: Int.min, score: 0.9, box: [1e19, -1e19, 1, 1],
                                    keypoints: [Keypoint(x: 1e19, y: -9.3e18, score: 0.9), Keypoint(x: .nan, y: 2, score: 0.9)])
        let frames = (0..<20).map { TrackFrame(index: $0, pts: 1e17 + 2 * Double($0), persons: [far]) }
        let csv = try CSVExporter().export(try TrackFrames(path: "t", header: header, frames: frames), to: folder.path + "/t.csv")
        #expect(csv.records == 20)
        #expect(try CSVTable(path: folder.path + "/t.csv").rows.first?["left_wrist_x"] == "10000000000000000000")
        let plot = try TrackPlot(joints: ["left_wrist"]).write(try TrackFrames(path: "t", header: header, frames: frames), to: folder.path + "/t.svg")
        #expect(plot.frames == 20)
        _ = try SVGElements(path: folder.path + "/t.svg")

        let repeated = [frames[0], frames[0]]
        #expect(throws: PosePipeError.badTracks(path: "t", reason: "line 3: frame 0 where frame 1 was expected (frame numbers count from 0, one line per frame)")) {
            _ = try CSVExporter().export(try TrackFrames(path: "t", header: header, frames: repeated), to: folder.path + "/r.csv")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/r.csv"))
        #expect(try temporaries().isEmpty)
    }
}
