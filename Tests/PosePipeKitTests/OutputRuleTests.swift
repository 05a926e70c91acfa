import Foundation
import Testing
@testable import PosePipeKit

/// One output rule for every command (README, "Where outputs go"): a new file renamed into place,
/// never through a symbolic link nor into another hard link's content; `-`, a named pipe with a
/// reader and a device are streamed into by the commands that stream (runs, snapshots); a pipe
/// nobody reads is refused at once.
@Suite(.serialized) struct OutputRuleTests {
    let root = Fixtures.scratch()
    var clip: String { root.path + "/c.mp4" }
    var tracks: String { root.path + "/c.jsonl" }
    var victim: String { root.path + "/victim" }

    /// A 3-frame clip, its tracks, and a file nothing may change.
    func prepare() throws {
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clip), frames: 3)
        #expect(try CLI.run([clip, "-o", tracks, "--quiet"]).status == 0)
        try Data("precious\n".utf8).write(to: URL(fileURLWithPath: victim))
    }

    func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    func kind(_ path: String) -> mode_t? {
        var status = stat()
        return lstat(path, &status) == 0 ? status.st_mode & S_IFMT : nil
    }

    /// Every command's output, with `OUT` where the output goes.
    var commands: [(name: String, arguments: [String])] {
        [("run", [clip, "-o", "OUT", "--quiet"]),
         ("snapshot", ["snapshot", clip, "--frame", "1", "-o", "OUT"]),
         ("render", ["render", clip, "--tracks", tracks, "-o", "OUT.mp4", "--quiet"]),
         ("--overlay", [clip, "-o", root.path + "/other.jsonl", "--overlay", "OUT.mp4", "--quiet"]),
         ("export csv", ["export", tracks, "--format", "csv", "-o", "OUT"]),
         ("export coco", ["export", tracks, "--format", "coco", "-o", "OUT"]),
         ("plot", ["plot", tracks, "-o", "OUT.svg"])]
    }

    func arguments(_ template: [String], output: String) -> (arguments: [String], output: String) {
        let path = template.first { $0.hasPrefix("OUT") }!.replacingOccurrences(of: "OUT", with: output)
        return (template.map { $0.hasPrefix("OUT") ? path : $0 }, path)
    }

    /// Plain runs and snapshots wrote through a link planted at -o (the issue's `ln -s target o.jsonl`).
    @Test func noCommandWritesThroughASymbolicLink() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try prepare()
        for command in commands {
            let (arguments, output) = arguments(command.arguments, output: root.path + "/link")
            #expect(symlink(victim, output) == 0)
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 73, "\(command.name): \(outcome.stderr)")
            #expect(outcome.stderr == "posepipe: cannot write \(output): is a symbolic link; posepipe replaces only regular files\n", "\(command.name)")
            #expect(contents(victim) == "precious\n", "\(command.name) wrote through the link")
            #expect(kind(output) == S_IFLNK)
            #expect(unlink(output) == 0)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".tmp") }.isEmpty, "no temporary file left")
    }

    /// A second hard link's content never changes: the output is a new file under the name.
    @Test func anotherHardLinksContentNeverChanges() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try prepare()
        for command in commands {
            let (arguments, output) = arguments(command.arguments, output: root.path + "/hard")
            #expect(link(victim, output) == 0)
            let outcome = try CLI.run(arguments)
            #expect(outcome.status == 0, "\(command.name): \(outcome.stderr)")
            #expect(contents(victim) == "precious\n", "\(command.name) wrote into the other link's content")
            #expect(Fixtures.size(of: URL(fileURLWithPath: output)) > 0 && contents(output) != "precious\n", "\(command.name) wrote its output")
            #expect(unlink(output) == 0)
        }
    }

    /// A named pipe: streamed into by runs and snapshots when someone reads it, refused at once
    /// when nobody does (it used to block in open(), deaf to Ctrl-C), refused by file outputs.
    @Test func aNamedPipeIsAStreamForRunsAndSnapshotsOnly() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try prepare()
        let pipe = root.path + "/pipe"
        #expect(mkfifo(pipe, 0o644) == 0)
        let bounded = ["/usr/bin/timeout", "-k", "5", "30"]
        for command in commands {
            let (arguments, output) = arguments(command.arguments, output: pipe)
            if output != pipe { continue }
            let outcome = try CLI.run(arguments, launcher: bounded)
            #expect(outcome.status == 73, "\(command.name): \(outcome.stderr)")
            let reason = command.name == "run" || command.name == "snapshot" ? "a named pipe that nobody is reading; start its reader first"
                : "not a regular file; posepipe replaces only regular files"
            #expect(outcome.stderr == "posepipe: cannot write \(pipe): \(reason)\n", "\(command.name)")
            #expect(kind(pipe) == S_IFIFO)
        }
        for suffixed in ["render", "--overlay", "plot"] {
            let template = commands.first { $0.name == suffixed }!.arguments
            let fifo = root.path + "/pipe." + (suffixed == "plot" ? "svg" : "mp4")
            #expect(mkfifo(fifo, 0o644) == 0)
            let outcome = try CLI.run(arguments(template, output: root.path + "/pipe").arguments, launcher: bounded)
            #expect(outcome.status == 73 && outcome.stderr.hasSuffix("not a regular file; posepipe replaces only regular files\n"), "\(suffixed): \(outcome.stderr)")
            #expect(unlink(fifo) == 0)
        }

        // With a reader, a run streams its tracks through the pipe as it would to standard output.
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/cat")
        reader.arguments = [pipe]
        let received = Pipe()
        reader.standardOutput = received
        try reader.run()
        usleep(200_000)
        let streamed = try CLI.run([clip, "-o", pipe, "--quiet"], launcher: bounded)
        let text = String(decoding: received.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        reader.waitUntilExit()
        #expect(streamed.status == 0, "\(streamed.stderr)")
        #expect(try TrackFile(text: text).frames.count == 3)
        #expect(text == contents(tracks))
    }

    /// A run that fails before its first frame leaves the file at -o as it was (it was truncated).
    @Test func aRunThatWritesNothingLeavesTheOldOutputAlone() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try prepare()
        // Raw frames that end inside the first: the input is found unreadable after -o was opened.
        let outcome = try CLI.run(["-", "--raw", "64x64", "-o", victim, "--quiet"], feeding: Data(repeating: 7, count: 100))
        #expect(outcome.status == 65, "\(outcome.stderr)")
        #expect(outcome.stderr == "posepipe: not a readable video: -: it ended inside its first frame (100 of 12288 bytes)\n")
        #expect(contents(victim) == "precious\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".tmp") }.isEmpty, "no temporary file left")

        // A device is a stream: /dev/null takes everything, /dev/full says the disk is full.
        #expect(try CLI.run([clip, "-o", "/dev/null", "--quiet"]).status == 0)
        let full = try CLI.run(["snapshot", clip, "--frame", "0", "-o", "/dev/full"])
        #expect(full.status == 73 && full.stderr == "posepipe: cannot write /dev/full: No space left on device\n")
    }
}
