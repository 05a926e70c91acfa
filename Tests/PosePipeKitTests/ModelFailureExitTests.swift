import Foundation
import Testing
@testable import PosePipeKit

/// Exit codes 69 (the model runtime or a model cannot be loaded) and 70 (inference failed) as a
/// user meets them: one line on stderr, the documented code, no output file left behind.
@Suite struct ModelFailureExitTests {
    func expectOneLine(_ outcome: CLI.Outcome, startingWith prefix: String) {
        let lines = outcome.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1 && outcome.stderr.hasSuffix("\n"), "stderr: \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix(prefix), "stderr: \(outcome.stderr)")
        #expect(!outcome.stderr.contains("\\n"), "no escaped line break from a library's message: \(outcome.stderr)")
    }

    /// Needs no ONNX Runtime: the library named is not there.
    @Test func aRuntimeThatCannotBeLoadedExits69() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("tracks.jsonl")
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", output.path],
                                  environment: [ONNXRuntime.libraryVariable: folder.appendingPathComponent("libonnxruntime.so.1").path])
        #expect(outcome.status == 69)
        expectOneLine(outcome, startingWith: "posepipe: cannot load the model runtime: ")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    @Test func aModelFileThatIsNoModelExits69() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let output = folder.appendingPathComponent("tracks.jsonl")
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", output.path, "--pipeline", "hrnet", "--model", Fixtures.pedestrians])
        #expect(outcome.status == 69)
        expectOneLine(outcome, startingWith: "posepipe: cannot load the model runtime: cannot open model \(Fixtures.pedestrians): ")
        #expect(!FileManager.default.fileExists(atPath: output.path))
    }

    /// A named pipe as `--model` blocked in ONNX Runtime's open, deaf to Ctrl-C (issue 16); a device
    /// never ends. Both are refused at once, before any runtime is loaded.
    @Test func aModelThatIsAPipeOrADeviceIsRefusedAtOnce() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let pipe = folder.appendingPathComponent("m.onnx").path
        #expect(mkfifo(pipe, 0o644) == 0)
        let output = folder.appendingPathComponent("tracks.jsonl")
        for (model, option) in [(pipe, "--model"), ("/dev/zero", "--model"), (pipe, "--detector-model")] {
            let pipeline = option == "--model" ? ["--pipeline", "hrnet"] : ["--detector", "yolox"]
            let outcome = try CLI.run([Fixtures.pedestrians, "-o", output.path, option, model] + pipeline,
                                      launcher: ["/usr/bin/timeout", "-k", "5", "60"])
            #expect(outcome.status == 66, "\(option) \(model): \(outcome.stderr)")
            #expect(outcome.stderr == "posepipe: cannot read \(model): not a regular file, not a model file\n")
            #expect(!FileManager.default.fileExists(atPath: output.path))
        }
    }

    /// MoveNet fed an input whose sides are not multiples of its stride (a description that says 5
    /// instead of 32) fails inside the runtime on the first frame.
    @Test func aModelThatFailsWhileRunningExits70() throws {
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let shipped = Fixtures.root.appendingPathComponent("Pipelines/movenet")
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: shipped.appendingPathComponent("pipeline.json"))) as? [String: Any])
        var detector = try #require(json["detector"] as? [String: Any])
        detector["model"] = shipped.appendingPathComponent("movenet.onnx").path
        detector["input"] = ["name": "serving_default_input:0", "long_side": 250, "multiple": 5]
        json["detector"] = detector
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("pipeline.json"))
        let output = folder.appendingPathComponent("tracks.jsonl")
        let outcome = try CLI.run([Fixtures.pedestrians, "-o", output.path, "--pipeline", folder.path])
        #expect(outcome.status == 70)
        expectOneLine(outcome, startingWith: "posepipe: inference failed: movenet.onnx: ")
        #expect(!FileManager.default.fileExists(atPath: output.path), "an input that gave no frame leaves no file")
    }
}
