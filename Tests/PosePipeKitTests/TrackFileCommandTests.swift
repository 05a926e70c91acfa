import Foundation
import Testing
@testable import PosePipeKit

/// render, plot and export on every track file a user can hand them (issue 16's reproducers):
/// what they accept they draw or convert, with exit 0; the rest is one line and 65, never a crash
/// or a hang, and nothing of the user's is lost.
@Suite(.serialized) struct TrackFileCommandTests {
    let root = Fixtures.scratch()
    let bounded = ["/usr/bin/timeout", "-k", "5", "120"]

    /// `tracks`' header and frame records, edited by `change`, written to `name`.
    func edited(_ tracks: String, _ name: String, _ change: (inout [String: Any], inout [[String: Any]]) -> Void) throws -> String {
        let file = try TrackFile(path: tracks)
        var header = file.header, frames = file.frames
        change(&header, &frames)
        let lines = try ([header] + frames).map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let path = root.path + "/" + name
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    func everyPerson(_ frames: inout [[String: Any]], _ change: (inout [String: Any]) -> Void) {
        for f in frames.indices {
            var persons = frames[f]["persons"] as? [[String: Any]] ?? []
            for p in persons.indices { change(&persons[p]) }
            frames[f]["persons"] = persons
        }
    }

    /// The README's own fourth example crashed in sws_scale on every clip: render without --tracks.
    @Test func renderWithoutTracksDrawsEveryFrame() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let clip = root.path + "/clip.mp4"
        try Fixtures.ffmpeg(["-i", Fixtures.sports2d, "-t", "1.5", "-vf", "scale=640:360", "-c:v", "libx264", "-preset", "ultrafast", "-an", clip])
        for threads in ["2", "64"] {
            let overlay = root.path + "/overlay-\(threads).mp4"
            let outcome = try CLI.run(["render", clip, "-o", overlay, "--quiet", "--threads", threads], launcher: bounded)
            #expect(outcome.status == 0, "--threads \(threads): \(outcome.stderr)")
            #expect(try FFprobe.videoPTS(overlay).count == 45, "--threads \(threads)")
        }
    }

    @Test func renderDrawsWhatItAcceptsAndRefusesBrokenSkeletons() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let clip = root.path + "/clip.mp4", tracks = root.path + "/clip.jsonl"
        try Fixtures.ffmpeg(["-i", Fixtures.sports2d, "-t", "1", "-vf", "scale=320:180", "-c:v", "libx264", "-preset", "ultrafast", "-an", clip])
        #expect(try CLI.run([clip, "-o", tracks, "--quiet"]).status == 0)
        #expect(try TrackFile(path: tracks).frames.contains { ($0["persons"] as? [Any])?.isEmpty == false }, "people to draw")

        // Finite coordinates no Int holds, and the smallest id, crashed Canvas and TrackColors.
        let far = try edited(tracks, "far.jsonl") { _, frames in
            everyPerson(&frames) { person in
                var keypoints = person["keypoints"] as! [[Any]]
                keypoints[0] = [1e19, -9.3e18, 0.9]
                keypoints[1] = [-1e300, 1e300, 0.9]
                person["keypoints"] = keypoints
                person["box"] = [-1e300, 5e18, 1e19, 1e19]
                person["id"] = Int.min
            }
        }
        let drawn = root.path + "/far.mp4"
        let outcome = try CLI.run(["render", clip, "--tracks", far, "-o", drawn, "--quiet"], launcher: bounded)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try FFprobe.videoPTS(drawn).count == 30)
        let plotted = try CLI.run(["plot", far, "-o", root.path + "/far.svg"], launcher: bounded)
        #expect(plotted.status == 0, "\(plotted.stderr)")
        _ = try SVGElements(path: root.path + "/far.svg")

        // Pairs out of range, negative or of one element crashed SkeletonRenderer.
        for (pair, shown) in [([0, 99], "[0, 99]"), ([-1, 2], "[-1, 2]"), ([1], "[1]")] {
            let broken = try edited(tracks, "skeleton.jsonl") { header, _ in header["skeleton"] = [[0, 1], pair] }
            let refused = try CLI.run(["render", clip, "--tracks", broken, "-o", root.path + "/s.mp4", "--quiet"], launcher: bounded)
            #expect(refused.status == 65)
            #expect(refused.stderr == "posepipe: track file \(broken): line 1: skeleton entry \(shown) is not a pair of the 33 keypoints' indices (0 to 32)\n")
            #expect(!FileManager.default.fileExists(atPath: root.path + "/s.mp4"))
        }

        // Tracks through a pipe (`<(zcat …)`) were read to count their lines, then reopened: empty.
        let fifo = root.path + "/tracks.fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        let feeder = Process()
        feeder.executableURL = URL(fileURLWithPath: "/bin/sh")
        feeder.arguments = ["-c", "cat \"$0\" > \"$1\"", tracks, fifo]
        try feeder.run()
        let piped = root.path + "/piped.mp4"
        let fromPipe = try CLI.run(["render", clip, "--tracks", fifo, "-o", piped, "--quiet"], launcher: bounded)
        feeder.waitUntilExit()
        #expect(fromPipe.status == 0, "\(fromPipe.stderr)")
        #expect(try FFprobe.videoPTS(piped).count == 30)

        // Nobody writing: Ctrl-C ends the wait (open() used to block, deaf to it), no video left.
        let stderr = root.appendingPathComponent("stderr.txt")
        let waiting = try CLI.start(["render", clip, "--tracks", fifo, "-o", root.path + "/never.mp4", "--quiet"], stderrFile: stderr)
        usleep(1_000_000)
        let signalled = Date()
        kill(waiting.processIdentifier, SIGINT)
        while waiting.isRunning && Date().timeIntervalSince(signalled) < 10 { usleep(50_000) }
        #expect(!waiting.isRunning, "still waiting for the pipe's writer 10 s after Ctrl-C")
        if waiting.isRunning { kill(waiting.processIdentifier, SIGKILL) }
        waiting.waitUntilExit()
        #expect(waiting.terminationStatus == 130)
        #expect(try String(contentsOf: stderr, encoding: .utf8) == "posepipe: interrupted\n")
        #expect(!FileManager.default.fileExists(atPath: root.path + "/never.mp4"))
    }

    /// PTS of 1e17 s two seconds apart: the tick loop added steps below one ulp forever.
    /// Control characters in `source` made the SVG unreadable as XML.
    @Test func plotsOfExtremeTracksEndAndAreXML() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let sample = root.appendingPathComponent("sample.jsonl")
        try SampleTracks.write(to: sample, names: try SampleTracks.blazePose)
        let far = try edited(sample.path, "far.jsonl") { header, frames in
            header["source"] = "clip\u{1}\u{1b}[2J\u{7f}.mp4"
            var more: [[String: Any]] = []
            for i in 0..<20 {
                var frame = frames[i % frames.count]
                frame["frame"] = i
                frame["pts"] = 1e17 + 2 * Double(i)
                more.append(frame)
            }
            frames = more
        }
        let svg = root.path + "/far.svg"
        let outcome = try CLI.run(["plot", far, "-o", svg], launcher: ["/usr/bin/timeout", "-k", "5", "60"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let elements = try SVGElements(path: svg)
        #expect(elements.elements.first { $0.attributes["class"] == "title" }?.text.hasPrefix("clip\\x01\\x1b[2J\u{7f}.mp4") == true)
        #expect(!elements.all("text", in: "timeline").filter { $0.attributes["class"] == "tick-x" }.isEmpty)
    }

    /// `export --format openpose` replaced a `<stem>_json` folder whole: the input inside it, and
    /// anything a user kept there, were deleted; a failed export left part of its result in place.
    @Test func openPoseExportsNeverDeleteWhatTheyDidNotWrite() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let pose = root.path + "/pose"
        try FileManager.default.createDirectory(atPath: pose + "/t_json", withIntermediateDirectories: true)
        let input = URL(fileURLWithPath: pose + "/t_json/t.jsonl")
        try SampleTracks.write(to: input, names: try SampleTracks.blazePose)
        let inside = try CLI.run(["export", input.path, "--format", "openpose", "-o", pose])
        #expect(inside.status == 64)
        #expect(inside.stderr == "posepipe: the export would replace \(pose)/t_json, which holds the track file being exported (\(input.path)); posepipe does not overwrite its input\n")
        #expect(FileManager.default.fileExists(atPath: input.path))

        let tracks = root.appendingPathComponent("t.jsonl")
        try FileManager.default.moveItem(at: input, to: tracks)
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: pose + "/t_json/notes.txt"))
        let foreign = try CLI.run(["export", tracks.path, "--format", "openpose", "-o", pose])
        #expect(foreign.status == 73)
        #expect(foreign.stderr == "posepipe: cannot write \(pose)/t_json: it holds a file posepipe did not write (notes.txt); posepipe replaces only a folder it wrote\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: pose + "/t_json") == ["notes.txt"])
        try FileManager.default.removeItem(atPath: pose + "/t_json")

        // The sidecar's name is a link: nothing is written, the frames folder included.
        #expect(symlink(root.path + "/victim", pose + "/t_keypoints.toml") == 0)
        let linked = try CLI.run(["export", tracks.path, "--format", "openpose", "-o", pose])
        #expect(linked.status == 73)
        #expect(linked.stderr == "posepipe: cannot write \(pose)/t_keypoints.toml: is a symbolic link; posepipe replaces only regular files\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: pose) == ["t_keypoints.toml"])
        #expect(unlink(pose + "/t_keypoints.toml") == 0)

        // Duplicate frames: 65 naming the line (it was 73, "File exists", half-way through).
        let twice = try edited(tracks.path, "twice.jsonl") { _, frames in frames.insert(frames[0], at: 1) }
        let duplicate = try CLI.run(["export", twice, "--format", "openpose", "-o", pose])
        #expect(duplicate.status == 65)
        #expect(duplicate.stderr == "posepipe: track file \(twice): line 3: frame 0 where frame 1 was expected (frame numbers count from 0, one line per frame)\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: pose).isEmpty)

        let done = try CLI.run(["export", tracks.path, "--format", "openpose", "-o", pose])
        #expect(done.status == 0, "\(done.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: pose + "/t_json").count == 4)
    }

    @Test func exportReadsFilesAndPipesNeverStandardInputOrEndlessLines() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let dash = try CLI.run(["export", "-", "--format", "csv", "-o", root.path + "/t.csv"])
        #expect(dash.status == 64)
        #expect(dash.stderr.hasPrefix("Error: export reads track files: give a file or a folder, not '-' (standard input)\n"))

        let started = Date()
        let zero = try CLI.run(["export", "/dev/zero", "--format", "csv", "-o", root.path + "/z.csv"], launcher: ["/usr/bin/timeout", "-k", "5", "60"])
        #expect(zero.status == 65)
        #expect(zero.stderr == "posepipe: track file /dev/zero: line 1 is not a posepipe.tracks header\n")
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(!FileManager.default.fileExists(atPath: root.path + "/z.csv"))
    }
}
