import Foundation
import Testing
@testable import PosePipeKit

/// `--max-people`, `--angles` and `posepipe export` as a user runs them, on the real clip.
@Suite(.serialized) struct TrackOutputCommandTests {
    @Test func oneTrackedPersonWithAnglesExportedForPose2Sim() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let clip = folder.appendingPathComponent("cam01.mp4").path
        try Fixtures.ffmpeg(["-ss", "2", "-i", Fixtures.sports2d, "-frames:v", "45", "-vf", "scale=1280:720", "-c:v", "libx264", "-preset", "ultrafast", "-an", clip])
        let everyone = folder.appendingPathComponent("all.jsonl").path, one = folder.appendingPathComponent("cam01.mp4.jsonl").path
        #expect(try CLI.run([clip, "-o", everyone, "--quiet"]).status == 0)
        let run = try CLI.run([clip, "-o", one, "--quiet", "--max-people", "1", "--angles"])
        #expect(run.status == 0, "stderr: \(run.stderr)")

        let all = try TrackFileReader(path: everyone).readAll()
        #expect(all.filter { $0.persons.count == 2 }.count > 40, "both people are in view")
        let reader = try TrackFileReader(path: one)
        let calculator = JointAngles(keypointNames: reader.header.keypoints)
        #expect(reader.header.angles == calculator.names)
        #expect(calculator.names.count == 17)
        let frames = try reader.readAll()
        #expect(frames.count == 45)
        #expect(frames.allSatisfy { $0.persons.count <= 1 } && frames.filter { $0.persons.count == 1 }.count > 40)
        #expect(Set(frames.flatMap { $0.persons.map(\.id) }).count == 1, "one person, one id")
        // The one kept is one of the two people the full run sees, on every frame.
        for (limited, full) in zip(frames, all) {
            guard let kept = limited.persons.first else { continue }
            let centre = { (b: [Double]) in Point2(x: b[0] + b[2] / 2, y: b[1] + b[3] / 2) }
            let nearest = full.persons.map { centre($0.box).distance(to: centre(kept.box)) }.min() ?? .infinity
            #expect(nearest < 0.1 * kept.box[3], "frame \(limited.index): the kept person is nobody the full run sees")
        }

        var measured = 0
        for person in frames.flatMap(\.persons) {
            #expect(Set(person.angles.keys) == Set(calculator.names))
            for (name, recomputed) in zip(calculator.names, calculator.angles(of: person.keypoints)) {
                guard let written = person.angles[name] ?? nil, let recomputed else { continue }
                var difference = abs(written - recomputed)
                difference = min(difference, 360 - difference)
                #expect(difference < 0.2, "\(name): \(written) written, \(recomputed) from the written keypoints")
                measured += 1
            }
        }
        #expect(measured > 40 * 12, "most angles are measured")

        let pose = folder.appendingPathComponent("pose").path
        let export = try CLI.run(["export", one, "--format", "openpose", "-o", pose])
        #expect(export.status == 0, "stderr: \(export.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: pose + "/cam01_json")
        #expect(files.count == 45 && files.contains("cam01_000044.json"))
        let toml = try String(contentsOfFile: pose + "/cam01_keypoints.toml", encoding: .utf8)
        #expect(toml.contains("pose_model = 'BLAZEPOSE'"))
    }

    @Test func exportErrorsAreOneLineWithTheirExitCodes() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tracks = folder.appendingPathComponent("in/a/t.mp4.jsonl")
        try FileManager.default.createDirectory(at: tracks.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SampleTracks.write(to: tracks, names: try SampleTracks.blazePose)
        let broken = folder.appendingPathComponent("in/b.jsonl")
        try Data("not json\n".utf8).write(to: broken)

        var outcome = try CLI.run(["export", tracks.path, "--format", "csv", "-o", tracks.path])
        #expect(outcome.status == 64 && outcome.stderr.contains("posepipe does not overwrite its input"))
        outcome = try CLI.run(["export", broken.path, "--format", "csv", "-o", folder.path + "/b.csv"])
        #expect(outcome.status == 65)
        #expect(outcome.stderr == "posepipe: track file \(broken.path): line 1 is not a posepipe.tracks header\n")
        outcome = try CLI.run(["export", folder.path + "/none.jsonl", "--format", "coco", "-o", folder.path + "/r.json"])
        #expect(outcome.status == 66)

        // A folder: every track file, mirrored; one bad file fails alone (75), the others are written.
        outcome = try CLI.run(["export", folder.path + "/in", "--format", "csv", "-o", folder.path + "/out"])
        #expect(outcome.status == 75)
        #expect(outcome.stderr.split(separator: "\n") == ["posepipe: track file \(folder.path)/in/b.jsonl: line 1 is not a posepipe.tracks header",
                                                         "posepipe: 1 of 2 track files exported, 1 failed"])
        let table = try CSVTable(path: folder.path + "/out/a/t.mp4.csv")
        #expect(table.rows.count == 6)
        try FileManager.default.removeItem(at: broken)
        outcome = try CLI.run(["export", folder.path + "/in", "--format", "openpose", "-o", folder.path + "/pose"])
        #expect(outcome.status == 0, "stderr: \(outcome.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.path + "/pose/a/t_json/t_000003.json"))
    }

    @Test func everyCommandsHelpHasExamplesAndCompletionsKnowTheCommands() throws {
        for command in ["run", "snapshot", "pipelines", "render", "export", "plot"] {
            let help = try CLI.run(["help", command])
            #expect(help.status == 0)
            #expect(help.stdout.contains("Example"), "posepipe help \(command) shows no example")
        }
        let bash = try CLI.run(["--generate-completion-script", "bash"])
        #expect(bash.status == 0)
        for word in ["render", "export", "plot", "--max-people", "--angles", "--overlay", "openpose"] {
            #expect(bash.stdout.contains(word), "the bash completions lack \(word)")
        }
    }
}
