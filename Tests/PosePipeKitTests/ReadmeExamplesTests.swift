import Foundation
import Testing
@testable import PosePipeKit

/// The README is tested: every command in its code blocks and in `posepipe help COMMAND`'s
/// examples is found by reading them (`ShownCommands`), run against the fixtures (`ExampleRun`,
/// `ExampleWorkspace`) and its outputs checked. A new example is run without being listed here;
/// one that cannot be mapped or run fails this test.
@Suite(.serialized) struct ReadmeExamplesTests {
    /// Lines that cannot run on a CI machine, and why. Each must still be shown somewhere.
    static let exceptions: [String: String] = [
        "Scripts/demo.sh": "builds the release binary (minutes) and runs `posepipe CLIP -o …` and `posepipe snapshot CLIP --frame 120 …`, which the examples run",
        "Scripts/test.sh": "is this test suite (CI's .ci/run)",
        "parallel -S 8/node1,8/node2 --wd /shared posepipe clips -o tracks --threads 1 --quiet --shard {}/16 ::: $(seq 0 15)":
            "needs machines reachable with ssh: Scripts/slurm/test.sh runs it through an ssh that stays on this machine",
        "sbatch Scripts/slurm/posepipe-array.sh /shared/clips /shared/tracks 16": "needs Slurm: Scripts/slurm/test.sh runs it on a one-node cluster",
        "sbatch --array=3,7 Scripts/slurm/posepipe-array.sh /shared/clips /shared/tracks 16": "needs Slurm: Scripts/slurm/test.sh runs it on a one-node cluster",
        "rsvg-convert plot.svg -o plot.png": "Debian's librsvg2-bin, not posepipe, and not installed by Scripts/setup.sh",
        "Scripts/package/install.sh --prefix ~/.local": "Scripts/package/test-package.sh (part of Scripts/test.sh) runs it and checks the install",
        "Scripts/package/package.sh": "Scripts/package/test-package.sh (part of Scripts/test.sh) runs it and installs the package it writes",
        "apt-get install ./out/posepipe_*.deb": "Scripts/package/test-package.sh installs the package so in a clean Debian root, not on the machine running the tests",
        "podman build -t registry.example.com/posepipe:latest -f Containerfile .":
            "containers do not run on this machine; Scripts/package/test-package.sh runs the Containerfile's RUN line in a clean Debian root",
        "podman push registry.example.com/posepipe:latest": "pushes to a registry: no network here",
    ]

    /// The usage block's synopses, each as a command that runs it.
    static let synopses: [String: String] = [
        "posepipe [run] INPUT -o OUTPUT [options]": "posepipe run clip.mp4 -o run.jsonl --angles --max-people 1",
        "posepipe [run] FOLDER -o FOLDER [folder options] [options]":
            "posepipe clips -o folder-out --jobs 2 --shard 0/1 --overwrite --report folder-report.json",
        "posepipe - --raw WxH [--pix-fmt F] [--fps R] -o OUTPUT":
            "ffmpeg -nostdin -loglevel error -i clip.mp4 -f rawvideo -pix_fmt gray - | posepipe - --raw 1280x720 --pix-fmt gray --fps 30 -o raw.jsonl",
        "posepipe snapshot INPUT --frame N -o FILE.png [options]": "posepipe snapshot video.mp4 --frame 5 -o - > snapshot.png",
        "posepipe render INPUT -o OVERLAY.mp4 [--tracks TRACKS.jsonl] [options]": "posepipe render video.mp4 -o synopsis.mkv --tracks tracks.jsonl",
        "posepipe export TRACKS.jsonl|FOLDER --format openpose|coco|csv -o OUT [--angles]":
            "posepipe export tracks.jsonl --format csv -o synopsis.csv --angles",
        "posepipe plot TRACKS.jsonl -o PLOT.svg [--joints a,b]": "posepipe plot tracks.jsonl -o synopsis.svg --joints nose,left_wrist",
    ]

    static func shown() throws -> [ShownCommand] {
        let readme = try String(contentsOf: Fixtures.root.appendingPathComponent("README.md"), encoding: .utf8)
        let dump = try CLI.run(["--experimental-dump-help"])
        return ShownCommands.inReadme(readme) + (try ShownCommands.inHelp(dump: Data(dump.stdout.utf8)))
    }

    /// How the README's lines are read: blocks, comments, continuations, YAML, synopses.
    @Test func commandsAreFoundAsAReaderFindsThem() throws {
        let shown = try Self.shown()
        let texts = Set(shown.map(\.text))
        for expected in ["posepipe video.mp4 -o tracks.jsonl", "ffmpeg -i cam.mkv -f nut - | posepipe - -o tracks.jsonl",
                         "posepipe render clip.mp4 -o overlay.mp4", "posepipe clips/ -o tracks/ --jobs 2 --report report.json",
                         "posepipe status /shared/clips -o /shared/tracks --report-dir /shared/tracks.reports",
                         "posepipe status clips/ -o tracks/ --json | jq .counts",
                         "posepipe /data/clips -o /data/tracks --quiet --shard ${JOB_COMPLETION_INDEX}/16",
                         "posepipe snapshot clip.mp4 --frame 120 --pipeline mmpose-topdown --model hrnet.onnx -o frame.png"] {
            #expect(texts.contains(expected), "not found: \(expected)")
        }
        #expect(!texts.contains { $0.hasPrefix("#") || $0.contains("  #") || $0.hasSuffix("\\") })
        #expect(shown.contains { $0.source.hasPrefix("posepipe help") })
        for listed in Array(Self.exceptions.keys) + Array(Self.synopses.keys) {
            #expect(texts.contains(listed), "listed here but no longer shown: \(listed)")
        }
        for synopsis in Self.synopses.keys { #expect(ShownCommands.isSynopsis(synopsis)) }
        #expect(!ShownCommands.isSynopsis("posepipe export tracks.jsonl --format csv -o tracks.csv"))
    }

    /// A script the README shows whole is a file of the repository, run by that file's own test.
    @Test func everyScriptShownIsAFileOfTheRepository() throws {
        let readme = try String(contentsOf: Fixtures.root.appendingPathComponent("README.md"), encoding: .utf8)
        let files = FileManager.default.enumerator(atPath: Fixtures.root.appendingPathComponent("Scripts").path)?.allObjects as? [String] ?? []
        let texts = files.compactMap { try? String(contentsOf: Fixtures.root.appendingPathComponent("Scripts/" + $0), encoding: .utf8) }
        for script in ShownCommands.scripts(inReadme: readme) {
            #expect(texts.contains(script), "a script the README shows is no file under Scripts/: \(script.prefix(120))")
        }
    }

    @Test func everyCommandTheReadmeAndHelpShowRunsOnTheFixtures() throws {
        _ = try ExampleWorkspace.template.get()
        var ran: Set<String> = []
        for command in try Self.shown() {
            if Self.exceptions[command.text] != nil { continue }
            var concrete = command.text
            if let synopsis = Self.synopses[command.text] {
                concrete = synopsis
            } else if ShownCommands.isSynopsis(command.text) {
                Issue.record("\(command.source): a synopsis with no command in ReadmeExamplesTests.synopses: \(command.text)")
                continue
            }
            guard concrete.split(separator: " ").contains("posepipe") else {
                Issue.record("\(command.source): not a posepipe command, and not among ReadmeExamplesTests.exceptions: \(command.text)")
                continue
            }
            guard ran.insert(concrete).inserted else { continue }
            try ExampleRun(text: concrete, source: command.source).check()
        }
        #expect(ran.count > 30, "\(ran.count) distinct commands ran")
    }
}
