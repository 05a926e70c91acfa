import Foundation
import Testing
@testable import PosePipeKit

/// Every command of the README's "The models people use today" block runs, with the fixture clip and the
/// synthetic exports in place of the user's files.
@Suite struct ModelCommandsReadmeTests {
    static let files = [
        "clip.mp4": RTMLibFixture.video,
        "rtmpose-m.onnx": RTMLibFixture.model("rtmpose-synthetic.onnx").path,
        "rtmpose-m_halpe26.onnx": RTMLibFixture.model("rtmpose-halpe26-synthetic.onnx").path,
        "yolox-m.onnx": RTMLibFixture.model("yolox-e2e-synthetic.onnx").path,
        "rtmdet-nano.onnx": RTMLibFixture.model("rtmdet-e2e-synthetic.onnx").path,
        "rtmo-s.onnx": RTMLibFixture.model("rtmo-synthetic.onnx").path,
        "yolo11n-pose.onnx": RTMLibFixture.model("yolo-pose-synthetic.onnx").path,
    ]

    /// The block's command lines, comments dropped.
    static func commands() throws -> [[String]] {
        let readme = try String(contentsOf: Fixtures.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let heading = readme.range(of: "### The models people use today"),
              let open = readme.range(of: "```\n", range: heading.upperBound..<readme.endIndex),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else { return [] }
        return readme[open.upperBound..<close.lowerBound].split(separator: "\n").map { line in
            let command = line.components(separatedBy: "#")[0]
            return command.split(separator: " ").map(String.init)
        }
    }

    @Test func theBlockHasTheFiveCommands() throws {
        let commands = try Self.commands()
        #expect(commands.count == 5 && commands.allSatisfy { $0.first == "posepipe" })
    }

    @Test(arguments: 0..<5)
    func commandRuns(index: Int) throws {
        let words = try Self.commands()[index]
        let folder = Fixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("tracks.jsonl")
        let arguments = words.dropFirst().map { word in word == "tracks.jsonl" ? out.path : Self.files[word] ?? word }
        for word in words.dropFirst() where word.hasSuffix(".onnx") || word.hasSuffix(".mp4") {
            #expect(Self.files[word] != nil, "\(word) has no stand-in")
        }
        let outcome = try CLI.run(arguments + ["--quiet"])
        #expect(outcome.status == 0, "\(words.joined(separator: " ")): \(outcome.stderr)")
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5, "a header and the clip's four frames")
        let people = try lines.dropFirst().map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            .flatMap { $0["persons"] as! [[String: Any]] }
        #expect(!people.isEmpty)
        let count = words.contains("rtmpose-m_halpe26.onnx") ? 26 : 17
        #expect(people.allSatisfy { ($0["keypoints"] as! [[Double]]).count == count })
    }
}
