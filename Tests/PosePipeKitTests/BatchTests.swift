import Foundation
import Testing
@testable import PosePipeKit

@Suite struct ShardTests {
    @Test func parsesKOverNFromZero() throws {
        #expect(try Shard(parsing: "0/1") == Shard.whole)
        let shard = try Shard(parsing: "2/3")
        #expect(shard.index == 2 && shard.count == 3 && shard.description == "2/3")
        for bad in ["3/3", "-1/2", "1/0", "a/b", "1", "1/2/3", "", "1/-2"] {
            #expect(throws: PosePipeError.self, "\(bad)") { try Shard(parsing: bad) }
        }
    }

    @Test func sharesCoverTheListOnceInRoundRobin() throws {
        let list = (0..<11).map { "clip\($0)" }
        let shares = try (0..<3).map { try Shard(parsing: "\($0)/3").select(list) }
        #expect(shares[0] == ["clip0", "clip3", "clip6", "clip9"])
        #expect(shares[1] == ["clip1", "clip4", "clip7", "clip10"])
        #expect(shares[2] == ["clip2", "clip5", "clip8"])
        #expect(Set(shares.flatMap { $0 }) == Set(list) && shares.map(\.count).reduce(0, +) == list.count)
    }
}

@Suite struct BatchLayoutTests {
    @Test func outputsMirrorTheFoldersAndKeepTheWholeName() {
        let layout = BatchLayout(input: "clips/", output: "tracks")
        #expect(layout.source(of: "a/b.mp4") == "clips/a/b.mp4")
        #expect(layout.output(of: "a/b.mp4") == "tracks/a/b.mp4.jsonl")
        #expect(layout.output(of: "a/b.mov") != layout.output(of: "a/b.mp4"))
        #expect(layout.partial(of: "a/b.mp4").hasSuffix("tracks/a/.b.mp4.jsonl.partial"))
        #expect(layout.partial(of: "top.mkv").hasSuffix("tracks/.top.mkv.jsonl.partial"))
    }

    @Test func makeFolderSaysWhyItCannot() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        try BatchLayout.makeFolder(folder.path + "/x/y/z")
        try BatchLayout.makeFolder(folder.path + "/x/y/z")
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: folder.path + "/x/y/z", isDirectory: &isFolder) && isFolder.boolValue)
        try Data("x".utf8).write(to: folder.appendingPathComponent("file"))
        #expect(throws: PosePipeError.outputUnwritable(path: folder.path + "/file/sub", reason: "Not a directory")) {
            try BatchLayout.makeFolder(folder.path + "/file/sub")
        }
    }
}

@Suite struct ClipCatalogTests {
    @Test func findsVideosByProbingAndSortsThemByBytes() throws {
        let root = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        func url(_ path: String) -> URL { root.appendingPathComponent(path) }
        for folder in ["B", "a/deep", "tracks", ".cache"] {
            try FileManager.default.createDirectory(at: url(folder), withIntermediateDirectories: true)
        }
        try Fixtures.pedestrianClip(url("a/deep/one.mp4"), frames: 2)
        try Fixtures.ffmpeg(["-i", url("a/deep/one.mp4").path, "-c", "copy", "-f", "mpegts", url("B/capture.dat").path])
        try FileManager.default.copyItem(at: url("a/deep/one.mp4"), to: url("a.mp4"))
        try FileManager.default.copyItem(at: url("a/deep/one.mp4"), to: url(".hidden.mp4"))
        try FileManager.default.copyItem(at: url("a/deep/one.mp4"), to: url(".cache/cached.mp4"))
        try FileManager.default.copyItem(at: url("a/deep/one.mp4"), to: url("tracks/inside-output.mp4"))
        try Data("not a video\n".utf8).write(to: url("broken.mkv"))
        try Data("notes\n".utf8).write(to: url("notes.txt"))
        try Data("{}\n".utf8).write(to: url("a.mp4.jsonl"))
        try Fixtures.ffmpeg(["-f", "lavfi", "-i", "sine=duration=0.2", url("a/voice.m4a").path])

        let catalog = ClipCatalog.scan(folder: root.path, excluding: url("tracks").path)
        // Byte order: upper case before lower, "a.mp4" before "a/…" ('.' is 0x2E, '/' 0x2F).
        #expect(catalog.clips == ["B/capture.dat", "a.mp4", "a/deep/one.mp4", "broken.mkv"])
        #expect(catalog.skipped == [SkippedFile(path: "a/voice.m4a", reason: "no video stream"),
                                    SkippedFile(path: "notes.txt", reason: "not media FFmpeg reads")])
        let known = ClipCatalog.scan(folder: root.path, excluding: url("tracks").path) { $0 == "notes.txt" }
        #expect(known.clips.contains("notes.txt"), "a clip with a finished output is taken as known, not probed")
    }
}

/// `posepipe clips/ -o tracks/` as a user runs it.
@Suite struct BatchCommandTests {
    let root = Fixtures.scratch()
    var clips: String { root.appendingPathComponent("clips").path }
    var tracks: String { root.appendingPathComponent("tracks").path }

    /// clips/a/one.mp4 (4 frames), clips/b/c/two.ts (3 frames), clips/three.mkv (5 frames),
    /// clips/notes.txt, clips/.hidden.mp4.
    func makeClips() throws {
        for folder in ["a", "b/c"] {
            try FileManager.default.createDirectory(atPath: clips + "/" + folder, withIntermediateDirectories: true)
        }
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/a/one.mp4"), frames: 4)
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/b/c/two.ts"), frames: 3, start: 2)
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/three.mkv"), frames: 5, start: 4)
        try Data("shot list\n".utf8).write(to: URL(fileURLWithPath: clips + "/notes.txt"))
        try FileManager.default.copyItem(atPath: clips + "/a/one.mp4", toPath: clips + "/.hidden.mp4")
    }

    func files(under folder: String) -> [String] {
        (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String] ?? []).filter {
            var isFolder: ObjCBool = false
            return FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isFolder) && !isFolder.boolValue
        }.sorted()
    }

    func report(_ path: String) throws -> BatchReport {
        try JSONDecoder().decode(BatchReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func writesOneTrackFilePerClipMirroringTheFolders() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        let outcome = try CLI.run([clips, "-o", tracks, "--report", root.path + "/report.json"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(files(under: tracks) == ["a/one.mp4.jsonl", "b/c/two.ts.jsonl", "three.mkv.jsonl"])
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "stderr: \(outcome.stderr)")
        #expect(lines.first == "posepipe: skipping \(clips)/notes.txt: not media FFmpeg reads")
        #expect(lines.last?.hasPrefix("posepipe: 3 done of 3 clips; 1 other file not video; 12 frames in ") == true)
        for (clip, frames) in [("a/one.mp4", 4), ("b/c/two.ts", 3), ("three.mkv", 5)] {
            let track = try TrackFile(path: tracks + "/" + clip + ".jsonl")
            #expect(track.header["source"] as? String == clips + "/" + clip)
            #expect(track.frames.count == frames)
            track.expectConsecutiveFrames()
        }
        let summary = try report(root.path + "/report.json")
        #expect(summary.done == 3 && summary.failed == 0 && summary.skipped == 0 && summary.frames == 12)
        #expect(summary.clips.map(\.clip) == ["a/one.mp4", "b/c/two.ts", "three.mkv"])
        #expect(summary.clips.map(\.output) == ["a/one.mp4", "b/c/two.ts", "three.mkv"].map { tracks + "/" + $0 + ".jsonl" })
        #expect(summary.notVideo == [SkippedFile(path: "notes.txt", reason: "not media FFmpeg reads")])
    }

    @Test func anglesGoIntoEveryClipsTracksAndOverlaysAreForOneClip() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        let overlay = try CLI.run([clips, "-o", tracks, "--overlay", root.path + "/o.mp4"])
        #expect(overlay.status == 64)
        #expect(overlay.stderr == "posepipe: --overlay is for one input; \(clips) is a folder (draw a clip's tracks with posepipe render)\n")
        let outcome = try CLI.run([clips, "-o", tracks, "--angles"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        var people = 0
        for clip in ["a/one.mp4", "b/c/two.ts", "three.mkv"] {
            let track = try TrackFile(path: tracks + "/" + clip + ".jsonl")
            #expect((track.header["angles"] as? [String])?.contains("right_knee") == true, "\(clip)")
            for frame in track.frames {
                for person in frame["persons"] as? [[String: Any]] ?? [] {
                    people += 1
                    #expect(person["angles"] is [String: Any], "\(clip) frame \(frame["frame"] ?? "?")")
                }
            }
        }
        #expect(people > 0, "the clips' pedestrians are found, so the person records are checked")
    }

    @Test func oneBadClipFailsAloneAndTheBatchExits75() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        // Half an MP4 without its index, as a copy stopped half-way leaves it.
        try Fixtures.pedestrianClip(URL(fileURLWithPath: clips + "/a/broken.mp4"), frames: 10)
        try Fixtures.truncate(URL(fileURLWithPath: clips + "/a/broken.mp4"), keeping: 0.5)
        let outcome = try CLI.run([clips, "-o", tracks, "--report", root.path + "/report.json", "--jobs", "2"])
        #expect(outcome.status == 75, "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.contains("\nposepipe: not a readable video: \(clips)/a/broken.mp4: moov atom not found\n"))
        #expect(outcome.stderr.contains("posepipe: 3 done, 1 failed of 4 clips;"))
        #expect(files(under: tracks) == ["a/one.mp4.jsonl", "b/c/two.ts.jsonl", "three.mkv.jsonl"])
        let summary = try report(root.path + "/report.json")
        let broken = try #require(summary.clips.first { $0.clip == "a/broken.mp4" })
        #expect(broken.status == .failed && broken.exitCode == 65 && broken.output == nil && broken.partial == nil)
        #expect(broken.reason == "not a readable video: \(clips)/a/broken.mp4: moov atom not found")
    }

    @Test func aRerunSkipsFinishedClipsAndRedoesTheRest() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        #expect(try CLI.run([clips, "-o", tracks, "--quiet"]).status == 0)
        let first = try Data(contentsOf: URL(fileURLWithPath: tracks + "/three.mkv.jsonl"))
        // As an interrupted run leaves it: one clip without its final output, a stale partial file.
        try FileManager.default.removeItem(atPath: tracks + "/three.mkv.jsonl")
        try Data("{\"schema\":\"posepipe.tracks\"}\n{\"frame\":0".utf8).write(to: URL(fileURLWithPath: tracks + "/.three.mkv.jsonl.partial"))
        let rerun = try CLI.run([clips, "-o", tracks, "--report", root.path + "/rerun.json"])
        #expect(rerun.status == 0, "stderr: \(rerun.stderr)")
        #expect(rerun.stderr.contains("posepipe: 1 done, 2 skipped (output exists) of 3 clips;"))
        let summary = try report(root.path + "/rerun.json")
        #expect(summary.clips.map(\.status) == [.skipped, .skipped, .done])
        #expect(try Data(contentsOf: URL(fileURLWithPath: tracks + "/three.mkv.jsonl")) == first)
        #expect(!FileManager.default.fileExists(atPath: tracks + "/.three.mkv.jsonl.partial"))

        let again = try CLI.run([clips, "-o", tracks, "--overwrite", "--report", root.path + "/again.json"])
        #expect(again.status == 0)
        #expect(try report(root.path + "/again.json").done == 3)
        #expect(try Data(contentsOf: URL(fileURLWithPath: tracks + "/three.mkv.jsonl")) == first, "runs are reproducible")
    }

    @Test func shardsSplitTheSortedClipsWithoutOverlapAndJobsChangeNothing() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        // Sorted: a/one.mp4, b/c/two.ts, three.mkv → shard 0/2 takes the first and the third.
        let zero = try CLI.run([clips, "-o", tracks, "--shard", "0/2", "--quiet"])
        #expect(zero.status == 0 && zero.stderr.contains("2 done of 2 clips (shard 0/2)"), "stderr: \(zero.stderr)")
        #expect(files(under: tracks) == ["a/one.mp4.jsonl", "three.mkv.jsonl"])
        let one = try CLI.run([clips, "-o", tracks, "--shard", "1/2", "--quiet"])
        #expect(one.status == 0 && one.stderr.contains("1 done of 1 clip (shard 1/2)"), "stderr: \(one.stderr)")
        #expect(files(under: tracks) == ["a/one.mp4.jsonl", "b/c/two.ts.jsonl", "three.mkv.jsonl"])

        let parallel = root.appendingPathComponent("parallel").path
        #expect(try CLI.run([clips, "-o", parallel, "--jobs", "3", "--threads", "2", "--quiet"]).status == 0)
        for name in ["a/one.mp4.jsonl", "b/c/two.ts.jsonl", "three.mkv.jsonl"] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: parallel + "/" + name)) == Data(contentsOf: URL(fileURLWithPath: tracks + "/" + name)),
                    "\(name) differs with --jobs 3")
        }
    }

    /// 16 tasks over 3 clips: the 13 shards without a clip must end at once, loading no model.
    @Test func aShardWithNoClipLoadsNoModel() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        let noRuntime = ["/usr/bin/env", "\(ONNXRuntime.libraryVariable)=\(root.path)/no-such/libonnxruntime.so.1"]
        let empty = try CLI.run([clips, "-o", tracks, "--shard", "5/16", "--report", root.path + "/5.json"], launcher: noRuntime)
        #expect(empty.status == 0, "stderr: \(empty.stderr)")
        #expect(empty.stderr.contains("posepipe: 0 done of 0 clips (shard 5/16); 1 other file not video; 0 frames in "))
        #expect(try report(root.path + "/5.json").clips.isEmpty)
        let withClips = try CLI.run([clips, "-o", tracks, "--shard", "2/16"], launcher: noRuntime)
        #expect(withClips.status == 69, "the runtime is missing, and shard 2/16 has three.mkv: \(withClips.stderr)")
    }

    /// More than a pipe's worth (64 KB) of stderr, which once hung the test helper reading stdout first.
    @Test func everyFileThatIsNotVideoIsListedHoweverMany() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(atPath: clips, withIntermediateDirectories: true)
        for n in 0..<1500 {
            try Data("notes\n".utf8).write(to: URL(fileURLWithPath: clips + String(format: "/notes-%04d.txt", n)))
        }
        let outcome = try CLI.run([clips, "-o", tracks])
        #expect(outcome.status == 66)
        #expect(outcome.stderr.utf8.count > 65_536)
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1501)
        #expect(lines[1499] == "posepipe: skipping \(clips)/notes-1499.txt: not media FFmpeg reads")
        #expect(lines.last == "posepipe: no videos in \(clips): none of its 1500 files are video")
    }

    @Test func folderOptionsAreUsageErrorsElsewhere() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try makeClips()
        let toStdout = try CLI.run([clips, "-o", "-"])
        #expect(toStdout.status == 64 && toStdout.stderr == "posepipe: a folder of clips needs an output folder: -o DIR (- is not one)\n")
        let onAFile = try CLI.run([clips + "/three.mkv", "-o", tracks, "--shard", "0/2"])
        #expect(onAFile.status == 64)
        #expect(onAFile.stderr == "posepipe: --jobs, --shard, --overwrite and --report are for a folder of clips; \(clips)/three.mkv is not a folder\n")
        let underAFile = try CLI.run([clips, "-o", clips + "/notes.txt/tracks"])
        #expect(underAFile.status == 73, "stderr: \(underAFile.stderr)")
        #expect(underAFile.stderr.hasSuffix("posepipe: cannot write \(clips)/notes.txt/tracks: Not a directory\n"))
        // A report that could not be written is found before the clips are processed, not after.
        let badReport = try CLI.run([clips, "-o", tracks, "--report", root.path + "/no/such/report.json"])
        #expect(badReport.status == 73)
        #expect(badReport.stderr == "posepipe: cannot write \(root.path)/no/such/report.json: No such file or directory\n")
        #expect(!FileManager.default.fileExists(atPath: tracks))
    }
}
